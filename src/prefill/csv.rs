//! An RFC 4180 CSV parser for export files: quoted fields with doubled quotes, embedded
//! newlines, CRLF or LF line ends, a byte-order mark, and the delimiter sniffed from the header
//! (`,`; `;` or tab as European Excel saves them). Small enough to own, so errors carry the
//! line and never the text.

/// A parsed CSV file: the header (trimmed) and the rows after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    /// Column names, trimmed.
    pub header: Vec<String>,
    /// The rows after the header, padded to the header's width. A blank line is a row with
    /// every field empty.
    pub rows: Vec<Row>,
}

/// One row, with the line it starts on (1-based, counting the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    /// The line the row starts on.
    pub line: usize,
    /// The fields, as many as the header has.
    pub fields: Vec<String>,
}

impl Row {
    /// Whether every field is empty (a blank line).
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|field| field.trim().is_empty())
    }
}

/// Why a file is not CSV: the line and what is wrong (no text from the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvError {
    /// The line where the problem starts.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses CSV text into a header and rows.
pub(crate) fn parse(text: &str) -> Result<Table, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = sniff(text);
    let mut records = Records {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
        delimiter,
    };
    let Some((_, header)) = records.next_record()? else {
        return Err(CsvError {
            line: 1,
            message: "the file has no header row".into(),
        });
    };
    let header: Vec<String> = header
        .into_iter()
        .map(|name| name.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    while let Some((line, mut fields)) = records.next_record()? {
        if fields.len() > header.len() {
            if fields[header.len()..].iter().all(|f| f.trim().is_empty()) {
                // Trailing delimiters (Excel pads rows to the widest one).
                fields.truncate(header.len());
            } else {
                return Err(CsvError {
                    line,
                    message: format!(
                        "the row has {} fields but the header has {}",
                        fields.len(),
                        header.len()
                    ),
                });
            }
        }
        fields.resize(header.len(), String::new());
        rows.push(Row { line, fields });
    }
    Ok(Table { header, rows })
}

/// The delimiter of the header line: whichever of `,` `;` tab is most frequent outside quotes
/// (a comma when none is).
fn sniff(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut tabs) = (0, 0, 0);
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas && tabs > semicolons {
        b'\t'
    } else {
        b','
    }
}

struct Records<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    line: usize,
    delimiter: u8,
}

impl Records<'_> {
    /// The next record and the line it starts on, or `None` at the end of the text.
    fn next_record(&mut self) -> Result<Option<(usize, Vec<String>)>, CsvError> {
        if self.at >= self.bytes.len() {
            return Ok(None);
        }
        let start_line = self.line;
        let mut fields = Vec::new();
        loop {
            let field = self.field()?;
            fields.push(field);
            match self.bytes.get(self.at) {
                None => break,
                Some(&byte) if byte == self.delimiter => self.at += 1,
                Some(b'\r') => {
                    self.at += 1;
                    if self.bytes.get(self.at) == Some(&b'\n') {
                        self.at += 1;
                    }
                    self.line += 1;
                    break;
                }
                Some(b'\n') => {
                    self.at += 1;
                    self.line += 1;
                    break;
                }
                // `field` stops only at a delimiter, a line end or the end of the text.
                Some(_) => {
                    return Err(CsvError {
                        line: self.line,
                        message: "a field does not end where a field can end".into(),
                    })
                }
            }
        }
        Ok(Some((start_line, fields)))
    }

    /// One field; leaves `at` on the delimiter, the line end, or the end of the text.
    fn field(&mut self) -> Result<String, CsvError> {
        let delimiter = self.delimiter;
        if self.bytes.get(self.at) != Some(&b'"') {
            let start = self.at;
            while let Some(&byte) = self.bytes.get(self.at) {
                if byte == delimiter || byte == b'\n' || byte == b'\r' {
                    break;
                }
                self.at += 1;
            }
            // A quote inside an unquoted field is kept as it is (as spreadsheets write it).
            return Ok(self.text[start..self.at].to_string());
        }
        let opened_on = self.line;
        self.at += 1;
        let mut value = String::new();
        loop {
            let rest = &self.bytes[self.at..];
            let Some(quote) = rest.iter().position(|&b| b == b'"') else {
                return Err(CsvError {
                    line: opened_on,
                    message: "a quoted field is never closed (the file may be cut short)".into(),
                });
            };
            let chunk = &self.text[self.at..self.at + quote];
            self.line += chunk.matches('\n').count() + chunk.matches('\r').count()
                - chunk.matches("\r\n").count();
            value.push_str(chunk);
            self.at += quote + 1;
            if self.bytes.get(self.at) == Some(&b'"') {
                value.push('"');
                self.at += 1;
                continue;
            }
            break;
        }
        match self.bytes.get(self.at) {
            None | Some(b'\n') | Some(b'\r') => Ok(value),
            Some(&byte) if byte == delimiter => Ok(value),
            Some(_) => Err(CsvError {
                line: self.line,
                message: "text after the closing quote of a field (a quote inside a quoted \
                          field must be doubled)"
                    .into(),
            }),
        }
    }
}

/// A header label reduced to lowercase letters and digits, for matching: `Job Title`,
/// `job_title` and `JOB TITLE` are the same header.
pub(crate) fn header_key(label: &str) -> String {
    label
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A cell's value as a property: trimmed, with line ends inside it as `\n` (a quoted field
/// keeps the file's CRLF, which has no place in a handoff's text); `None` when empty.
pub(crate) fn cell(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    Some(if value.contains('\r') {
        value.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        value.to_string()
    })
}

/// A date as spreadsheets and CRM exports write it, as `YYYY-MM-DD`: `2026-10-15`,
/// `2026-10-15 14:30`, `10/15/2026 2:30 PM` (month first, unless the first number is over 12),
/// `15.10.2026 14:30` (day first). The time of day is dropped: a CSV export writes it in the
/// exporting user's time zone without saying which, so only the day as shown is kept. `None`
/// when the value is not such a date as a whole.
pub(crate) fn normalise_date(value: &str) -> Option<String> {
    let mut parts = value.split_whitespace();
    let date = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let time_ok = match rest.as_slice() {
        [] => true,
        [time] => is_time(time),
        [time, half] => is_time(time) && matches!(half.to_ascii_uppercase().as_str(), "AM" | "PM"),
        _ => false,
    };
    if !time_ok {
        return None;
    }
    let number = |text: &str| -> Option<i16> {
        (!text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().ok())
            .flatten()
    };
    let (year, month, day) = if let Some((y, rest)) = date.split_once('-') {
        let (m, d) = rest.split_once('-')?;
        (y.len() == 4).then_some(())?;
        (number(y)?, number(m)?, number(d)?)
    } else if let Some((a, rest)) = date.split_once('/') {
        let (b, y) = rest.split_once('/')?;
        (y.len() == 4).then_some(())?;
        let (a, b) = (number(a)?, number(b)?);
        if a > 12 && b <= 12 {
            (number(y)?, b, a)
        } else {
            (number(y)?, a, b)
        }
    } else if let Some((d, rest)) = date.split_once('.') {
        let (m, y) = rest.split_once('.')?;
        (y.len() == 4).then_some(())?;
        (number(y)?, number(m)?, number(d)?)
    } else {
        return None;
    };
    let month = i8::try_from(month).ok()?;
    let day = i8::try_from(day).ok()?;
    let date = jiff::civil::Date::new(year, month, day).ok()?;
    Some(date.to_string())
}

fn is_time(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|part| (1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
}

/// A yes/no value as `true` / `false`, in the languages exports are written in (`Yes`, `Ja`,
/// `Oui`, `Sí`, `1`, `TRUE`, ...); `None` for anything else.
pub(crate) fn normalise_bool(value: &str) -> Option<&'static str> {
    match value.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "ja" | "wahr" | "oui" | "vrai" | "sí" | "si" | "verdadero" => {
            Some("true")
        }
        "false" | "no" | "n" | "0" | "nein" | "falsch" | "non" | "faux" | "falso" => Some("false"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rows(table: &Table) -> Vec<Vec<&str>> {
        table
            .rows
            .iter()
            .map(|row| row.fields.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn dates_become_days() {
        for (given, day) in [
            ("2026-10-15", "2026-10-15"),
            ("2026-10-15 14:30", "2026-10-15"),
            ("10/15/2026 2:30 PM", "2026-10-15"),
            ("3/4/2026 9:05", "2026-03-04"),
            ("15/10/2026", "2026-10-15"),
            ("15.10.2026 14:30", "2026-10-15"),
        ] {
            assert_eq!(normalise_date(given).as_deref(), Some(day), "{given}");
        }
        for other in [
            "2026-13-01",
            "2/30/2026",
            "Q4 2026",
            "48000.00",
            "10/15/26",
            "2026-10-15 soon",
        ] {
            assert_eq!(normalise_date(other), None, "{other}");
        }
    }

    #[test]
    fn quotes_newlines_crlf_and_bom() {
        let text = "\u{feff}Record ID,Deal Name,Description\r\n\
                    1,\"Acme, Inc.\",\"Said \"\"yes\"\"\r\non Monday\"\r\n\
                    2,Plain,\r\n";
        let table = parse(text).unwrap();
        assert_eq!(table.header, ["Record ID", "Deal Name", "Description"]);
        assert_eq!(
            rows(&table),
            [
                vec!["1", "Acme, Inc.", "Said \"yes\"\r\non Monday"],
                vec!["2", "Plain", ""],
            ]
        );
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(table.rows[1].line, 4);
    }

    #[test]
    fn semicolon_and_tab_delimiters_are_sniffed() {
        let table = parse("Vorname;Nachname;Rolle\nPat;Kim;\"A;B\"\n").unwrap();
        assert_eq!(rows(&table), [vec!["Pat", "Kim", "A;B"]]);
        let table = parse("a\tb\n1\t2").unwrap();
        assert_eq!(rows(&table), [vec!["1", "2"]]);
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_refused() {
        let table = parse("a,b,c\n1\n\n").unwrap();
        assert_eq!(rows(&table), [vec!["1", "", ""], vec!["", "", ""]]);
        assert!(table.rows[1].is_blank());
        assert_eq!(parse("a,b\n1,2,,\n").unwrap().rows[0].fields, ["1", "2"]);
        let err = parse("a,b\n1,2\n3,4,5\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.message, "the row has 3 fields but the header has 2");
    }

    #[test]
    fn unclosed_quote_and_text_after_quote_name_the_line() {
        let err = parse("a,b\n1,2\n3,\"open\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("never closed"));
        let err = parse("a,b\n\"x\"y,2\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("after the closing quote"));
        assert_eq!(parse("").unwrap_err().line, 1);
    }

    /// Writes rows the way a spreadsheet does: a field is quoted when it needs to be.
    fn write(rows: &[Vec<String>], line_end: &str) -> String {
        let mut text = String::new();
        for row in rows {
            let fields: Vec<String> = row
                .iter()
                .map(|field| {
                    if field.contains([',', '"', '\n', '\r']) || field.is_empty() {
                        format!("\"{}\"", field.replace('"', "\"\""))
                    } else {
                        field.clone()
                    }
                })
                .collect();
            text.push_str(&fields.join(","));
            text.push_str(line_end);
        }
        text
    }

    proptest! {
        #[test]
        fn written_rows_read_back(
            width in 1usize..5,
            cells in proptest::collection::vec("[a-z \",\r\n;é]{0,6}", 0..40),
            crlf in any::<bool>(),
        ) {
            let header: Vec<String> = (0..width).map(|i| format!("col{i}")).collect();
            let mut all = vec![header.clone()];
            for chunk in cells.chunks(width) {
                let mut row = chunk.to_vec();
                row.resize(width, String::new());
                all.push(row);
            }
            let text = write(&all, if crlf { "\r\n" } else { "\n" });
            let table = parse(&text).unwrap();
            prop_assert_eq!(&table.header, &header);
            let read: Vec<Vec<String>> = table.rows.into_iter().map(|row| row.fields).collect();
            prop_assert_eq!(read, all[1..].to_vec());
        }

        #[test]
        fn any_text_parses_or_fails_without_panicking(text in "[a-c,;\"\r\n\t]{0,64}") {
            let _ = parse(&text);
        }
    }
}
