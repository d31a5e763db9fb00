//! HO201 `card-number`: payment data in the source text (values and comments alike): card
//! numbers (13-19 digits, contiguous or in the printed groups 4-4-4-4, 4-6-5 with spaces or
//! dashes, starting with a card network's digit 2-6 and passing the Luhn checksum) and IBANs
//! (a known country's length, passing the ISO 7064 mod-97 checksum). A contiguous number right
//! after a CRM id word ("Opportunity 4000123412341234") is an id, not a card, unless the line
//! speaks of cards. The number itself never appears in the message.

use std::sync::LazyLock;

use regex::Regex;

use super::{Claimed, Rule, RuleContext, SourceLines};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// The rule's doc, printed by `handoff explain HO201`.
pub const DOC: &str = "## What it checks
The whole file, comments included, for payment data:

- card numbers: 13 to 19 digits written together or in the groups printed on cards
  (`4111 1111 1111 1111`, `3782-822463-10005`), starting with 2-6 (the card networks) and passing
  the Luhn checksum that every real card number passes;
- IBANs (bank account numbers, `DE89 3704 0044 0532 0130 00` or `GB82WEST12345698765432`): a
  country code, the length that country's IBANs have, and the mod-97 checksum every IBAN passes.

Dates, phone numbers and amounts do not match. CRM ids do not match either: a number written
together right after an id word (`Opportunity 4000123412341234`, `deal id: …`, `account #…`,
`order`, `ticket`, `case`, `invoice`, `Salesforce`, `HubSpot`) is taken for an id, unless the
same line speaks of a card (`card`, `visa`, `mastercard`, `amex`, `credit`, `debit`, `cvv`). The
finding names the line and column, never the number.

## Why it matters
A handoff repository is read by sales, CS, implementation and managers, and git keeps every
version forever. A card number in it is a PCI DSS incident, an IBAN is personal financial data:
delete it, purge it from the history and tell whoever owns billing. Payment details belong in
the billing system only.

## Example
```yaml
technical:
  constraints: They pay by card 4111 1111 1111 1111   # error: a payment card number
  billing: refunds to DE89 3704 0044 0532 0130 00     # error: an IBAN
```
";

/// The rule, declared once (HO201 `card-number`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO201",
    name: "card-number",
    severity: Severity::Error,
    configurable: true,
    summary: "A payment card number (Luhn-valid) is in the file.",
    fix: "delete the card number (and purge it from git history); refer to the billing system instead",
    doc: DOC,
    check: Some(check),
};

static CARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,7}|[0-9]{4}[ -][0-9]{6}[ -][0-9]{4,5})(?-u:\b)")
        .expect("valid regex")
});

/// Words that make a number right after them an id from a CRM or a ticketing system.
static ID_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:opportunity|opp|deal|account|acct|crm|salesforce|sfdc|hubspot|record|case|ticket|order|invoice|quote|contract|id|ref|reference)(?-u:\b)[ \t]*(?:id|no|number)?[ \t]*[:#=]?[ \t]*$")
        .expect("valid regex")
});

/// Words that say a number on the line is a card's, whatever precedes it.
static CARD_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)card|visa|master ?card|amex|american express|discover|credit|debit|cvv|cvc|expir",
    )
    .expect("valid regex")
});

/// A candidate IBAN: country, check digits, then up to 30 letters and digits, in groups of
/// four or not. Validated (length, checksum) in code.
static IBAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}(?-u:\b)").expect("valid regex")
});

/// IBAN lengths by country (the SWIFT IBAN registry).
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NL", 18),
    ("NO", 15),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("SA", 24),
    ("SC", 31),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
];

/// Finds card numbers and IBANs in the source.
pub fn check(rule: &Rule, _context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let source = document.source.as_str();
    let lines = SourceLines::new(source);
    let mut found = Vec::new();
    // One finding per number: the digits of an IBAN are not also a card number.
    let mut claimed = Claimed::default();
    // An IBAN starts with two capital letters and two digits: most handoffs hold no such
    // run, and the pattern gives the regex engine no literal to skip ahead with.
    let may_hold_iban = source.as_bytes().windows(4).any(|w| {
        w[0].is_ascii_uppercase()
            && w[1].is_ascii_uppercase()
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
    });
    let ibans = may_hold_iban
        .then(|| IBAN.find_iter(source))
        .into_iter()
        .flatten();
    for candidate in ibans {
        if let Some(length) = iban_length(candidate.as_str()) {
            let end = candidate.start() + length;
            claimed.claim(candidate.start(), end);
            found.push((
                candidate.start(),
                lines.at(candidate.start(), end).diagnostic(
                    rule,
                    "an IBAN (a bank account number, valid checksum) must not be in a handoff",
                ),
            ));
        }
    }
    // A card number has 13-19 digits within at most 23 characters (groups and separators).
    if super::has_digit_cluster(source, 13, 23) {
        for candidate in CARD.find_iter(source) {
            let digits: Vec<u32> = candidate
                .as_str()
                .chars()
                .filter_map(|c| c.to_digit(10))
                .collect();
            if !is_card_number(&digits)
                || is_crm_id(&lines, candidate.start(), candidate.as_str())
                || !claimed.claim(candidate.start(), candidate.end())
            {
                continue;
            }
            found.push((
                candidate.start(),
                lines.at(candidate.start(), candidate.end()).diagnostic(
                    rule,
                    format!(
                        "a payment card number ({} digits, valid checksum) must not be in a handoff",
                        digits.len()
                    ),
                ),
            ));
        }
    }
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, d)| d).collect()
}

/// A contiguous number right after an id word, on a line that does not speak of cards.
fn is_crm_id(lines: &SourceLines<'_>, start: usize, candidate: &str) -> bool {
    if !candidate.chars().all(|c| c.is_ascii_digit()) {
        // Printed in groups, as on a card: ids are not written that way.
        return false;
    }
    let line = lines.line_of(start);
    let line_start = lines.line_start(start);
    let before = &line[..(start - line_start).min(line.len())];
    // The 40 characters before the number (on a character boundary).
    let cut = before
        .char_indices()
        .map(|(at, _)| at)
        .find(|&at| before.len() - at <= 40)
        .unwrap_or(before.len());
    ID_WORDS.is_match(&before[cut..]) && !CARD_WORDS.is_match(line)
}

/// The length in bytes of the IBAN at the start of `candidate` (spaces included), when it is
/// one: a known country, its length, and the mod-97 checksum.
fn iban_length(candidate: &str) -> Option<usize> {
    let country = candidate.get(..2)?;
    let expected = IBAN_LENGTHS
        .iter()
        .find(|(code, _)| *code == country)
        .map(|(_, length)| *length)?;
    let mut characters = String::with_capacity(expected);
    let mut end = 0;
    for (at, c) in candidate.char_indices() {
        if c == ' ' {
            continue;
        }
        characters.push(c);
        end = at + c.len_utf8();
        if characters.len() == expected {
            break;
        }
    }
    if characters.len() != expected {
        return None;
    }
    // The IBAN must end there: a longer run of letters and digits is something else.
    if candidate[end..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    mod97(&characters).then_some(end)
}

/// ISO 7064 MOD 97-10 as IBANs use it: the first four characters moved to the end, letters as
/// 10-35, the number modulo 97 must be 1.
fn mod97(iban: &str) -> bool {
    let (head, tail) = iban.split_at(4);
    let mut remainder: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = match c.to_digit(36) {
            Some(value) => value,
            None => return false,
        };
        remainder = if value < 10 {
            (remainder * 10 + value) % 97
        } else {
            (remainder * 100 + value) % 97
        };
    }
    remainder == 1
}

/// 13-19 digits, a card network's first digit, and a valid Luhn checksum.
fn is_card_number(digits: &[u32]) -> bool {
    (13..=19).contains(&digits.len()) && (2..=6).contains(&digits[0]) && luhn(digits)
}

/// The Luhn checksum: from the right, double every second digit (minus 9 when over 9); the sum
/// must end in 0.
fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, &digit)| {
            if position % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<(usize, usize, Option<usize>)> {
        crate::playbook::rules::testing::on_text("HO201", text)
            .into_iter()
            .map(|d| {
                assert!(!d.message.contains("4111"), "the message echoes the number");
                (d.line, d.column, d.redact)
            })
            .collect()
    }

    #[test]
    fn printed_and_contiguous_card_numbers() {
        assert_eq!(run("a: card 4111 1111 1111 1111\n"), [(1, 9, Some(19))]);
        assert_eq!(run("a: x\nb: 4111-1111-1111-1111\n"), [(2, 4, Some(19))]);
        assert_eq!(run("a: 4111111111111111\n"), [(1, 4, Some(16))]);
        // American Express layout, in a comment.
        assert_eq!(run("a: 1  # 3782 822463 10005\n"), [(1, 9, Some(17))]);
    }

    #[test]
    fn luhn_invalid_and_lookalikes_pass() {
        assert!(run("a: 4111 1111 1111 1112\n").is_empty());
        assert!(run("a: 2026-11-13 2026-11-20 2026-12-01\n").is_empty());
        assert!(run("a: +1 617 555 0142\n").is_empty());
        assert!(run("a: 120000\n").is_empty());
        // Starts with 1 (not a card network), Luhn-valid: an id, not a card.
        assert!(run("a: 1000000000000008\n").is_empty());
    }

    #[test]
    fn crm_ids_are_not_card_numbers_unless_the_line_says_card() {
        assert!(run("a: Opportunity 4000123412341234 closed\n").is_empty());
        assert!(run("a: 'deal id: 4000123412341234'\n").is_empty());
        assert!(run("a: HubSpot record #4000123412341234\n").is_empty());
        // The same number as a card: grouped, or on a line about cards.
        assert_eq!(run("a: Opportunity 4000 1234 1234 1234\n").len(), 1);
        assert_eq!(
            run("a: Opportunity 4000123412341234 paid by card\n").len(),
            1
        );
        assert_eq!(run("a: pays with 4000123412341234\n").len(), 1);
    }

    #[test]
    fn ibans_are_checksum_validated() {
        let found = run("a: refunds to DE89 3704 0044 0532 0130 00 please\n");
        assert_eq!(found, [(1, 15, Some(27))]);
        assert_eq!(run("a: GB82WEST12345698765432\n"), [(1, 4, Some(22))]);
        assert_eq!(run("a: iban NL91ABNA0417164300\n").len(), 1);
        // One checksum digit off, a wrong length, an unknown country.
        assert!(run("a: DE89 3704 0044 0532 0130 01\n").is_empty());
        assert!(run("a: GB82WEST1234569876543\n").is_empty());
        assert!(run("a: ZZ82WEST12345698765432\n").is_empty());
        assert!(run("a: SOC2 TYPE II REPORT 2026\n").is_empty());
        let messages =
            crate::playbook::rules::testing::on_text("HO201", "a: GB82WEST12345698765432\n");
        assert!(messages[0].message.starts_with("an IBAN"));
        assert!(!messages[0].message.contains("GB82"));
    }

    #[test]
    fn luhn_reference_values() {
        let digits = |s: &str| s.chars().filter_map(|c| c.to_digit(10)).collect::<Vec<_>>();
        assert!(luhn(&digits("79927398713")));
        assert!(!luhn(&digits("79927398710")));
    }
}
