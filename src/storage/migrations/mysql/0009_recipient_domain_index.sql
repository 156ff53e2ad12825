-- A domain admin sees the mail of their recipient domains (core/mail_scope.hpp):
-- "r.domain IN (...)" starts from this index and gives the ids in order, as
-- mail_recipients_recipient does for a user's addresses.
CREATE INDEX mail_recipients_domain ON mail_recipients (domain, mail_id);
