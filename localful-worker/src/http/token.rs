//! What the client reads from its own tokens: the account they belong to.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The subject (`sub`: the user id) of a JWT, read without checking its signature — the server
/// checks it; the client only needs to know whose session it holds (e.g. a session restored from
/// a stored refresh token, to fetch the user's details).
pub(super) fn subject(jwt: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Claims {
        sub: String,
    }
    let payload = jwt.split('.').nth(1)?;
    let json = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice::<Claims>(&json).ok().map(|c| c.sub)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_subject_of_a_token_and_nothing_of_garbage() {
        let payload = URL_SAFE_NO_PAD.encode(r#"{"sub":"user-1","sid":"s","typ":"refresh","iat":1,"exp":2}"#);
        assert_eq!(subject(&format!("eyJhbGciOiJIUzI1NiJ9.{payload}.c2ln")), Some("user-1".into()));
        assert_eq!(subject("not a token"), None);
        assert_eq!(subject("a.!!!.c"), None);
        assert_eq!(subject(&format!("a.{}.c", URL_SAFE_NO_PAD.encode("{}"))), None);
    }
}
