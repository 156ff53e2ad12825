#!/usr/bin/env python3
"""Browserless login at the glewlwyd OpenID provider started by oidc.sh.

Python 3 standard library only; import it from the integration tests:

    import oidc_login
    cfg = oidc_login.provider(dir)      # issuer, client_id, client_secret, users, ...
    oidc_login.set_redirect_uris(dir, ["http://127.0.0.1:PORT/api/v1/oidc/callback"])
    url = oidc_login.login(dir, "carol", cfg.users["carol"].password, authorize_url)
    # url = REDIRECT_URI?state=...&code=...   (what the browser would be sent to)

login() does what glewlwyd's login page does in a browser: the authorization
endpoint redirects to BASE/login.html?...&callback_url=<the authorization
request>; the page posts the credentials to BASE/api/auth/ (session cookie),
then sends the browser back to callback_url with "g_continue" appended, and
the authorization endpoint redirects to the relying party. The users have
granted the client its scopes in oidc.sh, so no consent step comes in between.

Run as a program (python3 oidc_login.py DIR), it plays the relying party for
alice, bob and carol: discovery, authorization URL with state, nonce and PKCE
S256, login(), code exchange with client_secret_basic and the code_verifier,
ID token checks (RS256 signature against the JWKS, iss, aud, azp, nonce, exp,
iat), userinfo; then the rejections: wrong code_verifier, a replayed code, no
code_challenge, wrong password, unregistered redirect URI, wrong client secret.
"""

from __future__ import annotations

import base64
import hashlib
import http.cookiejar
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

TIMEOUT = 10  # seconds per HTTP request


class LoginError(Exception):
    """The provider did not hand out a code (bad password, unknown client...)."""


@dataclass
class User:
    login: str
    password: str
    email: str


@dataclass
class Provider:
    dir: str
    issuer: str          # http://127.0.0.1:PORT/api/oidc
    base_url: str        # http://127.0.0.1:PORT (glewlwyd's API is BASE/api)
    client_id: str
    client_secret: str
    redirect_uri: str    # the registered one (the first, after set_redirect_uris)
    admin_password: str
    users: dict[str, User] = field(default_factory=dict)


def provider(issuer_dir: str) -> Provider:
    """What oidc.sh wrote into issuer_dir."""
    def read(name: str) -> str:
        with open(f"{issuer_dir}/{name}") as f:
            return f.read().strip()
    users = {}
    for line in read("users").splitlines():
        login, password, email = line.split(":", 2)
        users[login] = User(login, password, email)
    return Provider(issuer_dir, read("issuer"), read("base_url"), read("client_id"),
                    read("client_secret"), read("redirect_uri").splitlines()[0],
                    read("admin_password"), users)


# ------------------------------------------------------------------- HTTP ---

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None   # a 3xx comes back as HTTPError, with its Location


def _browser() -> urllib.request.OpenerDirector:
    """A cookie-keeping client that does not follow redirects."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)


def _request(opener, method: str, url: str, *, json_body=None, form=None,
             headers=None) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one request; 3xx/4xx/5xx are returned, not raised."""
    data = None
    hdrs = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode()
        hdrs["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        hdrs["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with opener.open(req, timeout=TIMEOUT) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _location(status: int, headers: dict, what: str) -> str:
    if status not in (301, 302, 303, 307) or not headers.get("Location"):
        raise LoginError(f"{what}: expected a redirect, got HTTP {status}")
    return headers["Location"]


def _is_login_page(url: str, base_url: str) -> bool:
    return url.split("?", 1)[0] == base_url + "/login.html"


# ------------------------------------------------------------------ login ---

def login(issuer_dir: str, username: str, password: str, authorize_url: str) -> str:
    """Log username in at the provider for authorize_url (the relying party's
    authorization request, with state, nonce, code_challenge...); return the
    URL the provider then redirects the browser to: the client's redirect URI
    with code and state, or with error=... when the provider refuses the
    request itself (e.g. a missing code_challenge). Raises LoginError when no
    such redirect comes (wrong password, unregistered redirect URI: glewlwyd
    answers 403 to those, as it must not redirect to an unknown URI)."""
    base = provider(issuer_dir).base_url
    browser = _browser()

    # 1. the authorization request: to the login page (no session yet)
    loc = _location(*_request(browser, "GET", authorize_url)[:2], "authorization endpoint")
    if not _is_login_page(loc, base):
        return loc   # an error redirect to the client (or a session already there)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query)
    if "callback_url" not in query:
        raise LoginError(f"login page URL without callback_url: {loc}")
    callback = query["callback_url"][0]

    # 2. what the login page's password form posts
    status, _, body = _request(browser, "POST", base + "/api/auth/",
                               json_body={"username": username, "password": password})
    if status != 200:
        raise LoginError(f"password login of {username!r} refused: HTTP {status} {body[:200]!r}")

    # 3. the page's "continue": back to the authorization endpoint, now with a session
    callback += ("&" if "?" in callback else "?") + "g_continue"
    loc = _location(*_request(browser, "GET", callback)[:2], "authorization endpoint after login")
    if _is_login_page(loc, base):
        raise LoginError(f"provider sent {username!r} back to the login page "
                         f"(consent or another factor missing?): {loc}")
    return loc


def set_redirect_uris(issuer_dir: str, uris: list[str]) -> None:
    """Replace the client's registered redirect URIs (glewlwyd compares them
    exactly, port included), through the admin API; effective at once.
    DIR/redirect_uri then lists them, one per line."""
    p = provider(issuer_dir)
    admin = _browser()
    api = p.base_url + "/api"
    status, _, body = _request(admin, "POST", api + "/auth/",
                               json_body={"username": "admin", "password": p.admin_password})
    if status != 200:
        raise LoginError(f"admin login: HTTP {status} {body[:200]!r}")
    status, _, body = _request(admin, "GET", f"{api}/client/{p.client_id}")
    if status != 200:
        raise LoginError(f"GET client: HTTP {status} {body[:200]!r}")
    client = json.loads(body)
    client.pop("source", None)
    client["redirect_uri"] = list(uris)
    status, _, body = _request(admin, "PUT", f"{api}/client/{p.client_id}", json_body=client)
    if status != 200:
        raise LoginError(f"PUT client: HTTP {status} {body[:200]!r}")
    _request(admin, "DELETE", api + "/auth/")
    with open(f"{issuer_dir}/redirect_uri.tmp", "w") as f:
        f.write("".join(u + "\n" for u in uris))
    os.replace(f"{issuer_dir}/redirect_uri.tmp", f"{issuer_dir}/redirect_uri")


# ------------------------------------------------------ relying party side ---

def b64url_decode(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)"""
    verifier = b64url(secrets.token_bytes(48))   # 64 chars of [A-Za-z0-9_-]
    return verifier, b64url(hashlib.sha256(verifier.encode()).digest())


def get_json(url: str, headers=None) -> dict:
    status, _, body = _request(urllib.request.build_opener(), "GET", url, headers=headers)
    if status != 200:
        raise AssertionError(f"GET {url}: HTTP {status} {body[:300]!r}")
    return json.loads(body)


def verify_rs256(jwt: str, jwks: dict) -> tuple[dict, dict]:
    """(header, payload) of jwt after checking its RS256 signature against the
    JWKS key named by its kid: RSASSA-PKCS1-v1_5 with SHA-256, by hand."""
    h64, p64, s64 = jwt.split(".")
    header = json.loads(b64url_decode(h64))
    if header.get("alg") != "RS256":
        raise AssertionError(f"alg {header.get('alg')!r}, want RS256")
    keys = [k for k in jwks["keys"] if k.get("kty") == "RSA"
            and ("kid" not in header or k.get("kid") == header["kid"])]
    if len(keys) != 1:
        raise AssertionError(f"no single RSA key for kid {header.get('kid')!r} in the JWKS")
    n = int.from_bytes(b64url_decode(keys[0]["n"]), "big")
    e = int.from_bytes(b64url_decode(keys[0]["e"]), "big")
    k = (n.bit_length() + 7) // 8
    em = pow(int.from_bytes(b64url_decode(s64), "big"), e, n).to_bytes(k, "big")
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420")
    t = digest_info + hashlib.sha256(f"{h64}.{p64}".encode()).digest()
    if em != b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t:
        raise AssertionError("ID token signature does not verify")
    return header, json.loads(b64url_decode(p64))


def authorize_url(disc: dict, p: Provider, redirect_uri: str, *, challenge: str | None,
                  state: str, nonce: str, scope: str = "openid email profile") -> str:
    q = {"response_type": "code", "client_id": p.client_id, "redirect_uri": redirect_uri,
         "scope": scope, "state": state, "nonce": nonce}
    if challenge is not None:
        q.update(code_challenge=challenge, code_challenge_method="S256")
    return disc["authorization_endpoint"] + "?" + urllib.parse.urlencode(q)


def token_request(disc: dict, p: Provider, code: str, redirect_uri: str, verifier: str,
                  secret: str | None = None) -> tuple[int, dict]:
    """The code exchange, client_secret_basic (RFC 6749 2.3.1: form-encoded id:secret)."""
    cred = (urllib.parse.quote(p.client_id, safe="") + ":" +
            urllib.parse.quote(p.client_secret if secret is None else secret, safe=""))
    status, _, body = _request(
        urllib.request.build_opener(), "POST", disc["token_endpoint"],
        form={"grant_type": "authorization_code", "code": code,
              "redirect_uri": redirect_uri, "code_verifier": verifier},
        headers={"Authorization": "Basic " + base64.b64encode(cred.encode()).decode()})
    try:
        return status, json.loads(body)
    except ValueError:
        return status, {"raw": body.decode(errors="replace")}


def _code_from(url: str, redirect_uri: str, state: str) -> str:
    if url.split("?", 1)[0] != redirect_uri:
        raise AssertionError(f"redirected to {url}, want {redirect_uri}?...")
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    if q.get("state") != [state]:
        raise AssertionError(f"state {q.get('state')} != {state}")
    if "code" not in q:
        raise AssertionError(f"no code in {url}")
    return q["code"][0]


def self_test(issuer_dir: str) -> None:
    p = provider(issuer_dir)
    redirect_uri = p.redirect_uri
    t0 = time.monotonic()
    disc = get_json(p.issuer + "/.well-known/openid-configuration")
    assert disc["issuer"] == p.issuer, (disc["issuer"], p.issuer)
    jwks = get_json(disc["jwks_uri"])
    print(f"issuer   {disc['issuer']}")
    for k in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        print(f"{k:9.9s} {disc[k]}")
    print("token auth methods", disc.get("token_endpoint_auth_methods_supported"),
          "| PKCE", disc.get("code_challenge_methods_supported"),
          "required:", disc.get("require_code_challenge"))

    for login_name in ("alice", "bob", "carol"):
        u = p.users[login_name]
        verifier, challenge = pkce_pair()
        state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        url = login(issuer_dir, u.login, u.password,
                    authorize_url(disc, p, redirect_uri, challenge=challenge, state=state, nonce=nonce))
        code = _code_from(url, redirect_uri, state)
        status, tok = token_request(disc, p, code, redirect_uri, verifier)
        assert status == 200, (status, tok)
        assert tok.get("token_type", "").lower() == "bearer", tok
        header, claims = verify_rs256(tok["id_token"], jwks)
        now = time.time()
        aud = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        assert claims["iss"] == p.issuer, claims
        assert p.client_id in aud, claims
        assert claims.get("azp", p.client_id) == p.client_id, claims
        assert claims["nonce"] == nonce, claims
        assert claims["exp"] > now and claims["iat"] <= now + 60, claims
        assert claims.get("email") == u.email and claims.get("email_verified") is True, claims
        assert claims.get("preferred_username") == u.login, claims
        info = get_json(disc["userinfo_endpoint"],
                        headers={"Authorization": "Bearer " + tok["access_token"]})
        assert info["sub"] == claims["sub"], (info, claims)
        assert info.get("email") == u.email, info
        admin = "rqwatch-admins" in (claims.get("groups") or [])
        assert admin == (login_name == "carol"), claims
        shown = {k: claims[k] for k in sorted(claims)
                 if k not in ("at_hash", "c_hash", "s_hash", "sid", "jti")}
        print(f"\n{login_name}: code {code[:8]}... -> tokens {sorted(tok)}")
        print(f"  id_token header {header}")
        print(f"  id_token claims {json.dumps(shown)}")
        print(f"  userinfo        {json.dumps(info)}")

        # the same code again: refused (and, revoke-replayed on, its tokens revoked)
        status, err = token_request(disc, p, code, redirect_uri, verifier)
        assert status in (400, 401, 403), (status, err)
        if login_name == "alice":
            print(f"  replayed code   -> HTTP {status} {err}")

    u = p.users["alice"]
    # wrong code_verifier
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    code = _code_from(login(issuer_dir, u.login, u.password, authorize_url(
        disc, p, redirect_uri, challenge=challenge, state=state, nonce=nonce)), redirect_uri, state)
    status, err = token_request(disc, p, code, redirect_uri, pkce_pair()[0])
    assert status in (400, 401, 403) and "id_token" not in err, (status, err)
    print(f"\nwrong code_verifier  -> HTTP {status} {err}")
    status, err = token_request(disc, p, code, redirect_uri, verifier, secret="wrong")
    assert status in (400, 401, 403) and "id_token" not in err, (status, err)
    print(f"wrong client secret  -> HTTP {status} {err}")
    # no code_challenge at all: refused by the authorization endpoint
    url = login(issuer_dir, u.login, u.password,
                authorize_url(disc, p, redirect_uri, challenge=None, state=state, nonce=nonce))
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert "code" not in q and "error" in q, url
    print(f"no code_challenge    -> redirect with error={q['error'][0]}")
    # wrong password, unregistered redirect URI
    for what, pw, ru in (("wrong password", "x" + u.password, redirect_uri),
                         ("unregistered redirect_uri", u.password, redirect_uri + "x")):
        try:
            url = login(issuer_dir, u.login, pw, authorize_url(
                disc, p, ru, challenge=challenge, state=state, nonce=nonce))
        except LoginError as e:
            print(f"{what:20s} -> LoginError: {e}")
        else:
            raise AssertionError(f"{what}: got {url}")
    print(f"\nOK ({time.monotonic() - t0:.2f}s)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} DIR   (DIR as given to oidc.sh start)")
    self_test(sys.argv[1])
