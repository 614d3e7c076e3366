//! A password strength hint: a rough guess-count estimate, not a policy.

/// How strong a password looks, from 0 (very weak) to 4 (strong).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Strength(pub(crate) u8);

/// The minimum length the create form accepts.
pub(crate) const MIN_LENGTH: usize = 8;

const COMMON: &[&str] = &[
    "password", "123456", "qwerty", "letmein", "welcome", "admin", "iloveyou", "monkey", "dragon", "abc123",
    "111111", "sunshine", "football", "secret",
];

impl Strength {
    /// Estimates `password`'s strength from its length, character classes and obvious patterns.
    pub(crate) fn of(password: &str) -> Self {
        let len = password.chars().count();
        if len == 0 {
            return Self(0);
        }
        let lower = password.to_lowercase();
        if COMMON.iter().any(|c| lower.contains(c)) && len < 16 {
            return Self(0);
        }
        let classes = [
            password.chars().any(|c| c.is_ascii_lowercase()),
            password.chars().any(|c| c.is_ascii_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_ascii_alphanumeric()),
        ];
        let pool: u32 = [26, 26, 10, 33].iter().zip(classes).filter(|(_, has)| *has).map(|(n, _)| n).sum();
        let distinct = {
            let mut chars: Vec<char> = password.chars().collect();
            chars.sort_unstable();
            chars.dedup();
            chars.len()
        };
        // Bits of a random string of this length over this pool, discounted for repeated characters.
        let effective = len.min(distinct * 2);
        #[allow(clippy::cast_precision_loss)]
        let bits = effective as f64 * f64::from(pool.max(1)).log2();
        Self(match bits {
            b if b < 28.0 => 0,
            b if b < 40.0 => 1,
            b if b < 60.0 => 2,
            b if b < 80.0 => 3,
            _ => 4,
        })
    }

    /// A one-word label.
    pub(crate) fn label(self) -> &'static str {
        ["Very weak", "Weak", "Fair", "Good", "Strong"][usize::from(self.0.min(4))]
    }

    /// Advice for the next step up.
    pub(crate) fn hint(self) -> &'static str {
        match self.0 {
            0 | 1 => "Use a longer passphrase: four or more unrelated words work well.",
            2 => "Getting there: add length or another word.",
            3 => "Good. A few more characters make it strong.",
            _ => "Strong password. Keep it somewhere safe: it cannot be recovered.",
        }
    }
}
