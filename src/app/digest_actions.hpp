#pragma once
// Use case: the one-click actions of the digests (`rqwatch notify`). A link
// carries a signed token (ActionSigner) bound to one mail, one action
// (release or delete) and the recipient the digest went to, with an expiry.
// Opening it (Check) only shows what it would do: link scanners fetch every
// URL of a mail, so a GET never acts. Confirming it (Act) does it once: the
// token is recorded as used first (ActionTokenRepo), so a second use, even
// at the same moment, fails; a failure for a passing reason (relay or node
// down) gives the use back.
// Release goes to that recipient only (with release.user_release =
// "request" it makes a release request for that recipient instead, told of
// the decision at that address; "off": refused); delete is the recipient's delete
// (MailDeletion's rules: not when the mail was also someone else's, nor
// when users may not delete). Both audited under "link:ADDRESS".
// Blocking (SQL, SMTP, files).

#include <cstdint>
#include <string>
#include <string_view>

#include "app/mail_deletion.hpp"
#include "app/mail_release.hpp"
#include "app/mail_viewer.hpp"
#include "app/release_requests.hpp"
#include "app/ports/action_signer.hpp"
#include "app/ports/action_token_repo.hpp"

namespace rqwatch::app {

struct ActionTarget {
    ActionClaim claim;
    MailRecord mail;
    bool release_is_request = false;  // a release link asks an administrator
};

class DigestActions {
  public:
    DigestActions(const ActionSigner& signer, ActionTokenRepo& used, MailViewer& viewer,
                  ReleaseRequests& release, MailDeletion& deletion);

    // kInvalidArgument: tampered or made-up token; kPermissionDenied
    // ("token_expired"): past its expiry; kConflict ("token_used"): used
    // already; kNotFound: the mail is gone (deleted, purged) or the address
    // is not one of its recipients.
    [[nodiscard]] Result<ActionTarget> Check(std::string_view token, std::int64_t now_s);
    // Check, then the action; what was done, for the result page.
    [[nodiscard]] Result<std::string> Act(std::string_view token, std::int64_t now_s,
                                          const std::string& ip);

  private:
    const ActionSigner& signer_;
    ActionTokenRepo& used_;
    MailViewer& viewer_;
    ReleaseRequests& release_;
    MailDeletion& deletion_;
};

}  // namespace rqwatch::app
