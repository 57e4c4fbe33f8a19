//! Answers HTTP Digest challenges (RFC 7616, and the RFC 2069 form without
//! `qop`): reads the `WWW-Authenticate` challenges of a `401` (RFC 7235
//! syntax), picks the strongest one this runner speaks (SHA-512-256,
//! SHA-256, then MD5, each with its `-sess` variant; `qop=auth`, else
//! `auth-int`), and computes the `Authorization` value.
//!
//! Pure apart from drawing the client nonce. Must not send anything.

use md5::Md5;
use sha2::{Digest as _, Sha256, Sha512_256};

/// Names the hash functions RFC 7616 registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Algorithm {
    Md5,
    Sha256,
    Sha512_256,
}

impl Algorithm {
    fn hash(self, data: &str) -> String {
        self.hash_bytes(data.as_bytes())
    }

    fn hash_bytes(self, data: &[u8]) -> String {
        let digest: Vec<u8> = match self {
            Algorithm::Md5 => Md5::digest(data).to_vec(),
            Algorithm::Sha256 => Sha256::digest(data).to_vec(),
            Algorithm::Sha512_256 => Sha512_256::digest(data).to_vec(),
        };
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Holds one `Digest` challenge this runner can answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Challenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    /// The algorithm as the server spelt it, echoed back.
    algorithm_name: Option<String>,
    algorithm: Algorithm,
    session: bool,
    /// `auth` or `auth-int`; `None` for the RFC 2069 form.
    qop: Option<&'static str>,
    userhash: bool,
}

/// Carries what an answer needs besides the challenge.
#[derive(Debug, Clone, Copy)]
pub(super) struct Answer<'a> {
    pub(super) user: &'a str,
    pub(super) password: &'a str,
    pub(super) method: &'a str,
    /// The request target: path and query.
    pub(super) uri: &'a str,
    pub(super) body: &'a [u8],
    pub(super) cnonce: &'a str,
    pub(super) nc: u32,
}

/// Returns the strongest `Digest` challenge among the `WWW-Authenticate`
/// values this runner can answer, if any.
pub(super) fn best_challenge<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<Challenge> {
    values
        .into_iter()
        .flat_map(parse_challenges)
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("digest"))
        .filter_map(|(_, params)| digest_challenge(&params))
        .max_by_key(|c| (c.algorithm, c.qop == Some("auth")))
}

fn digest_challenge(params: &[(String, String)]) -> Option<Challenge> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let algorithm_name = get("algorithm");
    let spelt = algorithm_name.as_deref().unwrap_or("MD5").to_ascii_uppercase();
    let (base, session) = match spelt.strip_suffix("-SESS") {
        Some(base) => (base.to_owned(), true),
        None => (spelt, false),
    };
    let algorithm = match base.as_str() {
        "MD5" => Algorithm::Md5,
        "SHA-256" => Algorithm::Sha256,
        "SHA-512-256" => Algorithm::Sha512_256,
        _ => return None,
    };
    let qop = match get("qop") {
        None => None,
        Some(offered) => {
            let offered: Vec<String> = offered
                .split(',')
                .map(|q| q.trim().to_ascii_lowercase())
                .collect();
            if offered.iter().any(|q| q == "auth") {
                Some("auth")
            } else if offered.iter().any(|q| q == "auth-int") {
                Some("auth-int")
            } else {
                return None;
            }
        }
    };
    Some(Challenge {
        realm: get("realm").unwrap_or_default(),
        nonce: get("nonce")?,
        opaque: get("opaque"),
        algorithm_name,
        algorithm,
        session,
        qop,
        userhash: get("userhash").is_some_and(|v| v.eq_ignore_ascii_case("true")),
    })
}

/// Returns the `Authorization` value answering `challenge`, and the
/// `response` hash in it (to redact).
pub(super) fn answer(challenge: &Challenge, a: &Answer<'_>) -> (String, String) {
    let alg = challenge.algorithm;
    let nc = format!("{:08x}", a.nc);
    let mut ha1 = alg.hash(&format!("{}:{}:{}", a.user, challenge.realm, a.password));
    if challenge.session {
        ha1 = alg.hash(&format!("{ha1}:{}:{}", challenge.nonce, a.cnonce));
    }
    let ha2 = match challenge.qop {
        Some("auth-int") => alg.hash(&format!("{}:{}:{}", a.method, a.uri, alg.hash_bytes(a.body))),
        _ => alg.hash(&format!("{}:{}", a.method, a.uri)),
    };
    let response = match challenge.qop {
        Some(qop) => alg.hash(&format!(
            "{ha1}:{}:{nc}:{}:{qop}:{ha2}",
            challenge.nonce, a.cnonce
        )),
        None => alg.hash(&format!("{ha1}:{}:{ha2}", challenge.nonce)),
    };
    let username = if challenge.userhash {
        format!(
            "username=\"{}\"",
            alg.hash(&format!("{}:{}", a.user, challenge.realm))
        )
    } else if a.user.is_ascii() {
        format!("username={}", quote(a.user))
    } else {
        format!(
            "username*=UTF-8''{}",
            url::form_urlencoded::byte_serialize(a.user.as_bytes())
                .collect::<String>()
                .replace('+', "%20")
        )
    };
    let mut parts = vec![
        username,
        format!("realm={}", quote(&challenge.realm)),
        format!("uri={}", quote(a.uri)),
    ];
    if let Some(name) = &challenge.algorithm_name {
        parts.push(format!("algorithm={name}"));
    }
    parts.push(format!("nonce={}", quote(&challenge.nonce)));
    if let Some(qop) = challenge.qop {
        parts.push(format!("nc={nc}"));
        parts.push(format!("cnonce={}", quote(a.cnonce)));
        parts.push(format!("qop={qop}"));
    }
    parts.push(format!("response=\"{response}\""));
    if let Some(opaque) = &challenge.opaque {
        parts.push(format!("opaque={}", quote(opaque)));
    }
    if challenge.userhash {
        parts.push("userhash=true".to_owned());
    }
    (format!("Digest {}", parts.join(", ")), response)
}

/// Returns a fresh client nonce: 16 random bytes, hex.
pub(super) fn new_cnonce() -> String {
    let mut bytes = [0u8; 16];
    // The OS generator failing is not worth failing a step for: a fixed
    // cnonce weakens only the client's protection, never the password.
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Splits `WWW-Authenticate` values into challenges: a scheme and its
/// parameters (RFC 7235, section 4.1). A `token68` is kept as a parameter
/// with an empty name.
fn parse_challenges(value: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut challenges: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for item in split_items(value) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let token_end = item
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(item.len());
        let (token, rest) = item.split_at(token_end);
        let rest_trimmed = rest.trim_start();
        if rest_trimmed.starts_with('=') && rest.len() - rest_trimmed.len() <= 1 {
            if let (Some(last), Some(param)) = (challenges.last_mut(), parse_param(item)) {
                last.1.push(param);
            }
            continue;
        }
        let mut params = Vec::new();
        if !rest_trimmed.is_empty() {
            match parse_param(rest_trimmed) {
                Some(param) if !param.0.is_empty() => params.push(param),
                _ => params.push((String::new(), rest_trimmed.to_owned())),
            }
        }
        challenges.push((token.to_owned(), params));
    }
    challenges
}

/// Splits on commas outside quoted strings.
fn split_items(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        match c {
            _ if escaped => {
                escaped = false;
                current.push(c);
            }
            '\\' if quoted => {
                escaped = true;
                current.push(c);
            }
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    items.push(current);
    items
}

/// Reads `name = value` with a token or quoted-string value.
fn parse_param(item: &str) -> Option<(String, String)> {
    let (name, value) = item.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    let value = value.trim();
    let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' {
                    chars.next().unwrap_or('\\')
                } else {
                    c
                });
            }
            out
        }
        None => value.to_owned(),
    };
    Some((name.to_owned(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC7616_CHALLENGES: [&str; 2] = [
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, \
         nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"",
        "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, \
         nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"",
    ];

    fn mufasa(cnonce: &str) -> Answer<'_> {
        Answer {
            user: "Mufasa",
            password: "Circle of Life",
            method: "GET",
            uri: "/dir/index.html",
            body: b"",
            cnonce,
            nc: 1,
        }
    }

    #[test]
    fn rfc_7616_section_3_9_1_sha_256_and_md5() {
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        let sha = best_challenge(RFC7616_CHALLENGES).unwrap();
        assert_eq!(sha.algorithm, Algorithm::Sha256, "the stronger one is chosen");
        let (header, response) = answer(&sha, &mufasa(cnonce));
        assert_eq!(
            response,
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
        assert_eq!(
            header,
            "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", \
             algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, \
             cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, \
             response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", \
             opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""
        );
        let md5 = best_challenge([RFC7616_CHALLENGES[1]]).unwrap();
        assert_eq!(
            answer(&md5, &mufasa(cnonce)).1,
            "8ca523f5e9506fed4657c9700eebdbec"
        );
    }

    /// RFC 7616, section 3.9.2, with the values of its errata 4897: the
    /// printed `username` and `response` match no implementation; these are
    /// the erratum's, and Python's `hashlib` gives the same.
    #[test]
    fn rfc_7616_section_3_9_2_sha_512_256_with_userhash() {
        let challenge = best_challenge([
            "Digest realm=\"api@example.org\", qop=\"auth\", algorithm=SHA-512-256, \
             nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", \
             opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\", charset=UTF-8, userhash=true",
        ])
        .unwrap();
        let (header, response) = answer(
            &challenge,
            &Answer {
                user: "J\u{e4}s\u{f8}n Doe",
                password: "Secret, or not?",
                method: "GET",
                uri: "/doe.json",
                body: b"",
                cnonce: "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v",
                nc: 1,
            },
        );
        assert_eq!(
            response,
            "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5"
        );
        assert!(
            header.starts_with(
                "Digest username=\"793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b\""
            ),
            "{header}"
        );
        assert!(header.ends_with("userhash=true"), "{header}");
    }

    #[test]
    fn rfc_2617_section_3_5_md5() {
        let challenge = best_challenge(["Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", \
             nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""])
        .unwrap();
        let mut a = mufasa("0a4f113b");
        a.password = "Circle Of Life";
        let (header, response) = answer(&challenge, &a);
        assert_eq!(response, "6629fae49393a05397450978507c4ef1");
        assert!(
            !header.contains("algorithm="),
            "an absent algorithm is not echoed: {header}"
        );
    }

    /// `SHA-256-sess` with `qop=auth-int` (the only one offered): the body's
    /// hash goes into HA2; the value was computed with Python's `hashlib`.
    #[test]
    fn session_algorithms_and_auth_int_hash_the_body() {
        let challenge = best_challenge([
            "Digest realm=\"http-auth@example.org\", qop=\"auth-int\", algorithm=SHA-256-sess, \
             nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\"",
        ])
        .unwrap();
        let mut a = mufasa("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
        a.method = "POST";
        a.body = b"{\"a\":1}";
        let (header, response) = answer(&challenge, &a);
        assert_eq!(
            response,
            "b6ef89f80f15dd9624f086daa5d9840cb169851629b766a72c8948850462aa88"
        );
        assert!(
            header.contains("qop=auth-int") && header.contains("algorithm=SHA-256-sess"),
            "{header}"
        );
    }

    #[test]
    fn challenges_are_told_apart_in_one_header() {
        let found = parse_challenges(
            "Basic realm=\"simple\", Digest realm=\"a, b\", nonce=\"n\\\"1\", qop=auth, Bearer",
        );
        let schemes: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(schemes, ["Basic", "Digest", "Bearer"]);
        assert_eq!(
            found[1].1,
            [
                ("realm".to_owned(), "a, b".to_owned()),
                ("nonce".to_owned(), "n\"1".to_owned()),
                ("qop".to_owned(), "auth".to_owned())
            ]
        );
        let challenge = best_challenge(["Basic realm=x", "Digest realm=\"r\", nonce=\"n\""]).unwrap();
        assert_eq!(challenge.qop, None);
        assert!(best_challenge(["Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1"]).is_none());
        assert!(best_challenge(["Basic realm=x"]).is_none());
    }

    #[test]
    fn client_nonces_differ() {
        assert_ne!(new_cnonce(), new_cnonce());
        assert_eq!(new_cnonce().len(), 32);
    }
}
