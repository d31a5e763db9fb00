//! The text of a new handoff: every field its playbook asks for, in place and empty, nested
//! under its parents in schema order, each under its question, help, kind and requirement as
//! comments. Pure text generation from the playbook and the schema (plain `serde_json` values);
//! the result is valid against the schema and scores low until the writer answers.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::playbook::{Playbook, QuestionKind};

/// Widest comment line, indentation included.
const COMMENT_WIDTH: usize = 80;

/// A person's fields as known when the handoff is started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFields {
    /// Name, when known (from a flag, the roster or git).
    pub name: Option<String>,
    /// Role, from the roster or the playbook.
    pub role: Option<String>,
    /// Email, from the roster.
    pub email: Option<String>,
}

/// What the exports answered, for a pre-filled skeleton (`handoff new --prefill`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefilled {
    /// Dotted path → the value as YAML text: one line (`Acme Corp`, `[a, b]`), or block lines
    /// after a line break (`\n- {name: Pat Kim}`), indented under the key.
    pub values: BTreeMap<String, String>,
    /// Dotted path → comment lines (without `# `) written above the key: call candidates.
    pub notes: BTreeMap<String, Vec<String>>,
    /// Text appended at the end (the `provenance` map).
    pub trailer: String,
}

/// What a new handoff starts with.
#[derive(Debug, Clone)]
pub struct Skeleton<'a> {
    /// The playbook whose questions the file carries.
    pub playbook: &'a Playbook,
    /// Schema files by name (`sales-cs.json`, `common.json`), for structure and `$ref`s.
    pub schemas: &'a BTreeMap<String, Value>,
    /// The modeline's link from the file to its schema, e.g. `../../schema/sales-cs.json`.
    pub schema_link: String,
    /// Path of the file from the repository root, for the hint in the header.
    pub display_path: String,
    /// `title:`.
    pub title: String,
    /// `from:`.
    pub from: PersonFields,
    /// `to:`.
    pub to: PersonFields,
    /// `trigger.event`.
    pub trigger_event: String,
    /// `trigger.date`.
    pub trigger_date: jiff::civil::Date,
    /// Pre-filled values and candidates (empty for a plain skeleton).
    pub prefilled: Prefilled,
}

/// A field the playbook asks about.
#[derive(Debug, Clone, Default)]
struct Asked {
    question: Option<String>,
    help: Option<String>,
    kind: Option<QuestionKind>,
    required: bool,
    options: Vec<String>,
    keys: Vec<String>,
    section: Option<String>,
    min_words: Option<usize>,
    min_items: Option<usize>,
}

/// A value written in place of the empty one, with an optional comment above it.
struct Preset {
    value: String,
    comment: Option<&'static str>,
}

/// A schema node and the file it belongs to (for `#/...` references).
#[derive(Clone, Copy)]
struct At<'a> {
    node: &'a Value,
    doc: &'a str,
}

static NO_SCHEMA: Value = Value::Null;

enum Scalar {
    Text,
    Date,
    Number,
    Boolean,
    Email,
    Enum(Vec<String>),
}

enum Shape<'a> {
    Object(At<'a>),
    ObjectList(At<'a>),
    List,
    Scalar(Scalar),
}

/// Which children of an object are written besides the ones asked for.
enum Include<'a> {
    Asked,
    Keys(&'a [String]),
    All,
}

struct Writer<'a> {
    schemas: &'a BTreeMap<String, Value>,
    asked: BTreeMap<String, Asked>,
    presets: BTreeMap<String, Preset>,
    notes: &'a BTreeMap<String, Vec<String>>,
    placed: BTreeSet<String>,
    out: String,
}

impl Skeleton<'_> {
    /// The file's text.
    pub fn render(&self) -> String {
        let playbook = self.playbook;
        let type_file = format!("{}.json", playbook.handoff_type);
        let mut writer = Writer {
            schemas: self.schemas,
            asked: asked_fields(playbook),
            presets: self.presets(),
            notes: &self.prefilled.notes,
            placed: BTreeSet::new(),
            out: String::new(),
        };
        writer.line(
            0,
            &format!("# yaml-language-server: $schema={}", self.schema_link),
        );
        for text in [
            format!(
                "{} (playbook {}), written by `handoff new`.",
                playbook.title,
                playbook.id()
            ),
            "Answer the question in the comment above each key. Leave a value empty rather than \
             guessing: an empty value costs score, a wrong one misleads the receiver, and TBD in a \
             date or number is a schema error."
                .to_string(),
            format!(
                "`handoff lint {}` shows what is still missing. Set `status: submitted` when it \
                 is ready for the receiver.",
                self.display_path
            ),
        ]
        .into_iter()
        .chain((!self.prefilled.values.is_empty()).then(|| {
            "Pre-filled from CRM exports: `provenance` at the end says where each value came \
             from; check them. `# Per Gong` comments are the customer's own words, to choose from."
                .to_string()
        })) {
            writer.comment(0, &text);
        }
        // The document start, after the header comments (yamllint's default asks for it).
        writer.line(0, "---");
        let root = At {
            node: self.schemas.get(&type_file).unwrap_or(&NO_SCHEMA),
            doc: self
                .schemas
                .get_key_value(&type_file)
                .map(|(name, _)| name.as_str())
                .unwrap_or(""),
        };
        writer.object(root, "", 0, Include::Asked);
        let unplaced: Vec<&String> = writer
            .asked
            .keys()
            .filter(|path| !writer.placed.contains(*path))
            .collect();
        if !unplaced.is_empty() {
            let list = unplaced
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            writer.out.push('\n');
            writer.comment(
                0,
                &format!(
                    "The playbook also asks for {list}, but schema/{type_file} has no place for \
                     it; ask whoever owns playbooks/ and schema/ to make them agree."
                ),
            );
        }
        if !self.prefilled.trailer.is_empty() {
            writer.out.push('\n');
            writer.out.push_str(&self.prefilled.trailer);
        }
        writer.out
    }

    fn presets(&self) -> BTreeMap<String, Preset> {
        let mut presets = BTreeMap::new();
        let mut put = |path: &str, value: String, comment: Option<&'static str>| {
            presets.insert(path.to_string(), Preset { value, comment });
        };
        put("type", self.playbook.handoff_type.clone(), None);
        put(
            "status",
            "draft".to_string(),
            Some(
                "draft while you write it; submitted when it is ready for the receiver, who sets \
                 accepted (and accepted_by) or rejected.",
            ),
        );
        put("title", yaml_text(&self.title), None);
        for (key, person) in [("from", &self.from), ("to", &self.to)] {
            if let Some(name) = &person.name {
                put(&format!("{key}.name"), yaml_text(name), None);
            }
            if let Some(role) = &person.role {
                put(&format!("{key}.role"), yaml_text(role), None);
            }
            if let Some(email) = &person.email {
                put(&format!("{key}.email"), yaml_text(email), None);
            }
        }
        put("trigger.event", yaml_text(&self.trigger_event), None);
        put("trigger.date", self.trigger_date.to_string(), None);
        for (path, value) in &self.prefilled.values {
            put(path, value.clone(), None);
        }
        presets
    }
}

/// Every field of the playbook: scored fields (with their section) first, then its other
/// questions. `from.name` and `to.name` are always asked: the schema requires them.
fn asked_fields(playbook: &Playbook) -> BTreeMap<String, Asked> {
    let mut asked = BTreeMap::new();
    for section in &playbook.sections {
        for field in &section.fields {
            asked.entry(field.path.clone()).or_insert_with(|| Asked {
                question: field.question.clone(),
                help: field.help.clone(),
                kind: field.kind,
                required: field.required,
                options: field.options.clone(),
                keys: field.keys.clone(),
                section: Some(section.title.clone()),
                min_words: field.min_words,
                min_items: field.min_items,
            });
        }
    }
    for question in &playbook.questions {
        asked.entry(question.path.clone()).or_insert_with(|| Asked {
            question: Some(question.question.clone()),
            help: question.help.clone(),
            kind: question.kind,
            required: question.required,
            options: question.options.clone(),
            ..Asked::default()
        });
    }
    for path in ["from.name", "to.name"] {
        asked.entry(path.to_string()).or_insert_with(|| Asked {
            required: true,
            ..Asked::default()
        });
    }
    asked
}

impl<'a> Writer<'a> {
    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// `text` as `# ` lines wrapped to [`COMMENT_WIDTH`].
    fn comment(&mut self, depth: usize, text: &str) {
        let width = COMMENT_WIDTH.saturating_sub(depth * 2 + 2).max(40);
        for line in wrap(text, width) {
            self.line(depth, &format!("# {line}"));
        }
    }

    fn wanted(&self, path: &str) -> bool {
        let prefix = format!("{path}.");
        self.asked.contains_key(path)
            || self.presets.contains_key(path)
            || self.asked.keys().any(|p| p.starts_with(&prefix))
            || self.presets.keys().any(|p| p.starts_with(&prefix))
            || self.notes.contains_key(path)
            || self.notes.keys().any(|p| p.starts_with(&prefix))
    }

    /// Follows `$ref`s (`common.json#/$defs/x`, `#/$defs/x`) to the node they name.
    fn resolve(&self, mut at: At<'a>) -> At<'a> {
        // A bound on the chain: a reference cycle must not hang `handoff new`.
        for _ in 0..crate::schema::MAX_REF_HOPS {
            let Some(reference) = at.node.get("$ref").and_then(Value::as_str) else {
                return at;
            };
            let schemas = self.schemas;
            let document = |name: &str| schemas.get_key_value(name).map(|(k, v)| (k.as_str(), v));
            at = match crate::schema::follow_ref(at.doc, reference, document) {
                Some((doc, node)) => At { node, doc },
                None => At {
                    node: &NO_SCHEMA,
                    doc: at.doc,
                },
            };
        }
        at
    }

    fn shape(&self, at: At<'a>) -> Shape<'a> {
        let at = self.resolve(at);
        let types: Vec<&str> = match at.node.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if types.contains(&"object") || (types.is_empty() && at.node.get("properties").is_some()) {
            return Shape::Object(at);
        }
        if types.contains(&"array") {
            let item = At {
                node: at.node.get("items").unwrap_or(&NO_SCHEMA),
                doc: at.doc,
            };
            return match self.shape(item) {
                Shape::Object(item) => Shape::ObjectList(item),
                _ => Shape::List,
            };
        }
        if let Some(choices) = at.node.get("enum").and_then(Value::as_array) {
            return Shape::Scalar(Scalar::Enum(
                choices
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            ));
        }
        let format = at.node.get("format").and_then(Value::as_str);
        Shape::Scalar(if types.contains(&"boolean") {
            Scalar::Boolean
        } else if types.contains(&"number") || types.contains(&"integer") {
            Scalar::Number
        } else if format == Some("date") {
            Scalar::Date
        } else if format == Some("email") {
            Scalar::Email
        } else {
            Scalar::Text
        })
    }

    /// Writes the wanted properties of an object, in schema order.
    fn object(&mut self, object: At<'a>, prefix: &str, depth: usize, include: Include) {
        let Some(properties) = object.node.get("properties").and_then(Value::as_object) else {
            return;
        };
        for (key, node) in properties {
            let path = format!("{prefix}{key}");
            let included = match include {
                Include::Asked => false,
                Include::Keys(keys) => keys.contains(key),
                Include::All => true,
            };
            if !included && !self.wanted(&path) {
                continue;
            }
            self.placed.insert(path.clone());
            let at = At {
                node,
                doc: object.doc,
            };
            self.field(key, at, &path, depth);
        }
    }

    fn field(&mut self, key: &str, at: At<'a>, path: &str, depth: usize) {
        let shape = self.shape(at);
        let asked = self.asked.get(path).cloned();
        let mut comments = Vec::new();
        if let Some(asked) = &asked {
            comments = describe(asked, &shape);
        } else if let Some(comment) = self.presets.get(path).and_then(|p| p.comment) {
            comments.push(comment.to_string());
        } else if depth == 0 && matches!(shape, Shape::Object(_)) {
            let description = at
                .node
                .get("description")
                .or_else(|| self.resolve(at).node.get("description"))
                .and_then(Value::as_str);
            comments.extend(description.map(str::to_string));
        }
        if depth == 0 && (!comments.is_empty() || matches!(shape, Shape::Object(_))) {
            self.out.push('\n');
        }
        for text in &comments {
            self.comment(depth, text);
        }
        if let Some(notes) = self.notes.get(path) {
            for note in notes {
                for line in note_lines(note, depth * 2) {
                    self.line(depth, &line);
                }
            }
        }
        if let Some(value) = self.presets.get(path).map(|p| p.value.clone()) {
            match value.strip_prefix('\n') {
                Some(block) => {
                    self.line(depth, &format!("{key}:"));
                    for line in block.lines() {
                        match line.strip_prefix("- ") {
                            Some(item) => {
                                for folded in fold_line((depth + 1) * 2, "-", item) {
                                    self.line(0, &folded);
                                }
                            }
                            None => self.line(depth + 1, line),
                        }
                    }
                }
                None => {
                    for folded in fold_line(depth * 2, &format!("{key}:"), &value) {
                        self.line(0, &folded);
                    }
                }
            }
            return;
        }
        match shape {
            Shape::Object(object) => {
                self.line(depth, &format!("{key}:"));
                let keys = asked.as_ref().map(|a| a.keys.clone()).unwrap_or_default();
                let include = match &asked {
                    // The keys a scored object needs are written even when the schema has more.
                    Some(_) if !keys.is_empty() => Include::Keys(&keys),
                    Some(_) => Include::All,
                    None => Include::Asked,
                };
                self.object(object, &format!("{path}."), depth + 1, include);
            }
            Shape::ObjectList(item) => {
                self.line(depth, &format!("{key}:"));
                // At the key's own indentation: a comment lines up with the content after it
                // (yamllint's default), and uncommented it is a valid block list.
                self.item_template(item, asked.as_ref(), depth);
            }
            Shape::List => self.line(depth, &format!("{key}: []")),
            Shape::Scalar(_) => self.line(depth, &format!("{key}:")),
        }
    }

    /// A commented list item with the keys each item needs, to uncomment and fill in.
    fn item_template(&mut self, item: At<'a>, asked: Option<&Asked>, depth: usize) {
        let Some(properties) = item.node.get("properties").and_then(Value::as_object) else {
            return;
        };
        let keys: Vec<&String> = match asked {
            Some(asked) if !asked.keys.is_empty() => properties
                .keys()
                .filter(|k| asked.keys.contains(*k))
                .collect(),
            _ => properties.keys().collect(),
        };
        for (index, key) in keys.into_iter().enumerate() {
            let lead = if index == 0 { "# - " } else { "#   " };
            let hint = match self.shape(At {
                node: &properties[key.as_str()],
                doc: item.doc,
            }) {
                Shape::Scalar(Scalar::Enum(choices)) => format!(" # {}", choices.join(" | ")),
                Shape::Scalar(Scalar::Date) => " # YYYY-MM-DD".to_string(),
                _ => String::new(),
            };
            self.line(depth, &format!("{lead}{key}:{hint}"));
        }
    }
}

/// The comment lines above an asked field: the question, the help, then what kind of answer it
/// takes, whether it is required and what the score needs.
fn describe(asked: &Asked, shape: &Shape) -> Vec<String> {
    let mut lines = Vec::new();
    lines.extend(asked.question.clone());
    lines.extend(asked.help.clone());
    let mut facts = Vec::new();
    if let Some(kind) = asked.kind {
        facts.push(
            match kind {
                QuestionKind::Text => "text",
                QuestionKind::Textarea => "long text",
                QuestionKind::MultiSelect => "multi-select",
                QuestionKind::YesNo => "yes/no",
            }
            .to_string(),
        );
    }
    facts.push(
        if asked.required {
            "required"
        } else {
            "optional"
        }
        .to_string(),
    );
    if let Some(section) = &asked.section {
        let mut needs = Vec::new();
        if let Some(words) = asked.min_words {
            needs.push(format!("at least {words} words"));
        }
        if matches!(shape, Shape::List | Shape::ObjectList(_)) {
            let items = asked.min_items.unwrap_or(1);
            needs.push(format!(
                "at least {items} item{}",
                if items == 1 { "" } else { "s" }
            ));
        }
        if !asked.keys.is_empty() {
            let verb = if matches!(shape, Shape::ObjectList(_)) {
                "each with"
            } else {
                "needs"
            };
            needs.push(format!("{verb} {}", asked.keys.join(", ")));
        }
        let mut fact = format!("scored in {section}");
        if !needs.is_empty() {
            fact.push_str(&format!(": {}", needs.join(", ")));
        }
        facts.push(fact);
    }
    match shape {
        Shape::Scalar(Scalar::Date) => facts.push("YYYY-MM-DD, empty until known".to_string()),
        Shape::Scalar(Scalar::Number) => facts.push("a number, empty until known".to_string()),
        Shape::Scalar(Scalar::Boolean) => facts.push("true or false".to_string()),
        Shape::Scalar(Scalar::Email) => facts.push("an email address".to_string()),
        Shape::Scalar(Scalar::Enum(choices)) => facts.push(choices.join(" | ")),
        Shape::List => facts.push("a list: [a, b], or `- a` lines in place of []".to_string()),
        Shape::ObjectList(_) => facts.push("uncomment the item below, copy it for more".into()),
        Shape::Object(_) | Shape::Scalar(Scalar::Text) => {}
    }
    if !asked.options.is_empty() {
        facts.push(format!("e.g. {}", asked.options.join(", ")));
    }
    lines.push(format!("({})", facts.join("; ")));
    lines
}

/// A note (a `Per Gong` candidate) as comment lines that fit [`COMMENT_WIDTH`] at `indent`
/// columns: `# ` and the first line, then `#   ` and the rest. A word longer than a line (a
/// long e-mail address) stays whole on a `# ` line of its own, which yamllint's default
/// `allow-non-breakable-words` accepts.
pub fn note_lines(note: &str, indent: usize) -> Vec<String> {
    let width = COMMENT_WIDTH.saturating_sub(indent + 4).max(36);
    wrap(note, width)
        .into_iter()
        .enumerate()
        .map(|(index, line)| match index {
            0 => format!("# {line}"),
            _ if !line.contains(' ') && line.chars().count() > width => format!("# {line}"),
            _ => format!("#   {line}"),
        })
        .collect()
}

/// Splits `text` into lines of at most `width` characters at spaces (a longer word stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    // Characters in `current`, kept as words are added (counting it again per word is
    // quadratic in the line's length).
    let mut count = 0;
    for word in text.split_whitespace() {
        let length = word.chars().count();
        if !current.is_empty() && count + 1 + length > width {
            lines.push(std::mem::take(&mut current));
            count = 0;
        }
        if !current.is_empty() {
            current.push(' ');
            count += 1;
        }
        current.push_str(word);
        count += length;
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// `HEAD VALUE` (`key: value`, `- item`) at `indent` spaces as lines that fit
/// [`COMMENT_WIDTH`] columns where the value allows it: broken at single spaces, the rest
/// indented two more, which YAML folds back into the same value (plain and double-quoted
/// scalars, flow collections). The result is parsed back and kept only if it reads as the
/// one-line form does; otherwise (or when it fits) the one line.
pub fn fold_line(indent: usize, head: &str, value: &str) -> Vec<String> {
    let pad = " ".repeat(indent);
    let one = format!("{pad}{head} {value}");
    // Flow collections are not folded (yamllint's indentation rule wants their continuation
    // lines aligned): a long list item is written as a block mapping by the caller instead.
    if one.chars().count() <= COMMENT_WIDTH || value.starts_with(['|', '>', '{', '[']) {
        return vec![one];
    }
    // Words split at single spaces (a run of spaces stays inside its word).
    let chars: Vec<char> = value.chars().collect();
    let mut words: Vec<String> = vec![String::new()];
    for (i, &c) in chars.iter().enumerate() {
        let single =
            c == ' ' && i > 0 && chars[i - 1] != ' ' && chars.get(i + 1).is_some_and(|&n| n != ' ');
        match words.last_mut() {
            Some(word) if !single => word.push(c),
            _ => words.push(String::new()),
        }
    }
    let first_width = COMMENT_WIDTH.saturating_sub(indent);
    let rest_width = COMMENT_WIDTH.saturating_sub(indent + 2).max(20);
    let mut lines = vec![format!("{head} {}", words[0])];
    for word in &words[1..] {
        let width = if lines.len() == 1 {
            first_width
        } else {
            rest_width
        };
        match lines.last_mut() {
            Some(last) if last.chars().count() + 1 + word.chars().count() <= width => {
                last.push(' ');
                last.push_str(word);
            }
            _ => lines.push(word.clone()),
        }
    }
    if lines.len() < 2 {
        return vec![one];
    }
    let folded = lines.join("\n  ") + "\n";
    let reads = |text: &str| {
        crate::document::parse_value(text.as_bytes(), u64::MAX)
            .ok()
            .map(|d| d.value)
    };
    match (reads(&format!("{head} {value}\n")), reads(&folded)) {
        (Some(a), Some(b)) if a == b => lines
            .iter()
            .enumerate()
            .map(|(i, l)| match i {
                0 => format!("{pad}{l}"),
                _ => format!("{pad}  {l}"),
            })
            .collect(),
        _ => vec![one],
    }
}

/// `text` as a YAML scalar: plain when that reads back as the same string, double-quoted (JSON
/// escaping, which YAML shares) otherwise.
pub fn yaml_text(text: &str) -> String {
    const RESERVED: [&str; 11] = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "nan",
    ];
    let plain = text.chars().next().is_some_and(char::is_alphabetic)
        && !text.ends_with(char::is_whitespace)
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(|c| {
            c.is_control() || (c.is_whitespace() && c != ' ') || "{}[],&*!|>'\"%`\\".contains(c)
        })
        && !RESERVED.contains(&text.to_ascii_lowercase().as_str());
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::embedded;

    fn schemas() -> BTreeMap<String, Value> {
        embedded::SCHEMAS
            .iter()
            .map(|(name, text)| (name.to_string(), serde_json::from_str(text).unwrap()))
            .collect()
    }

    fn playbook(handoff_type: &str) -> Playbook {
        let (name, text) = embedded::PLAYBOOKS
            .iter()
            .find(|(name, _)| name.trim_end_matches(".yaml") == handoff_type)
            .unwrap();
        Playbook::parse(name, text).unwrap()
    }

    fn render(handoff_type: &str, schemas: &BTreeMap<String, Value>) -> String {
        let playbook = playbook(handoff_type);
        Skeleton {
            playbook: &playbook,
            schemas,
            schema_link: format!("../../schema/{handoff_type}.json"),
            display_path: format!("handoffs/{handoff_type}/acme.yaml"),
            title: "Acme — test".into(),
            from: PersonFields {
                name: Some("Jane Doe".into()),
                role: Some("AE".into()),
                email: Some("jane@example.com".into()),
            },
            to: PersonFields {
                name: Some("Sam Lee".into()),
                ..PersonFields::default()
            },
            trigger_event: "closed-won".into(),
            trigger_date: jiff::civil::date(2026, 11, 20),
            prefilled: Prefilled::default(),
        }
        .render()
    }

    #[test]
    fn every_type_renders_valid_yaml_with_every_playbook_field() {
        let schemas = schemas();
        for handoff_type in crate::playbook::HANDOFF_TYPES {
            let text = render(handoff_type, &schemas);
            let document = crate::document::parse(text.as_bytes(), 1 << 20)
                .unwrap_or_else(|f| panic!("{handoff_type}: {f:?}\n{text}"));
            assert!(
                !text.contains("has no place for"),
                "{handoff_type}: a playbook path is missing from the schema\n{text}"
            );
            for field in playbook(handoff_type)
                .sections
                .iter()
                .flat_map(|s| &s.fields)
            {
                let pointer = format!("/{}", field.path.replace('.', "/"));
                assert!(
                    document.value.pointer(&pointer).is_some(),
                    "{handoff_type}: {} not in place\n{text}",
                    field.path
                );
            }
            assert_eq!(document.value["status"], "draft");
            assert_eq!(document.value["trigger"]["date"], "2026-11-20");
        }
    }

    #[test]
    fn a_playbook_path_the_schema_lacks_is_named_not_written() {
        let schemas = schemas();
        let mut playbook = playbook("sales-cs");
        playbook.questions.push(crate::playbook::Question {
            path: "customer.shoe_size".into(),
            question: "Shoe size?".into(),
            help: None,
            kind: None,
            required: false,
            options: Vec::new(),
        });
        let text = Skeleton {
            playbook: &playbook,
            schemas: &schemas,
            schema_link: "../../schema/sales-cs.json".into(),
            display_path: "handoffs/sales-cs/a.yaml".into(),
            title: "A".into(),
            from: PersonFields::default(),
            to: PersonFields::default(),
            trigger_event: "closed-won".into(),
            trigger_date: jiff::civil::date(2026, 1, 2),
            prefilled: Prefilled::default(),
        }
        .render();
        assert!(!text.contains("shoe_size:"), "{text}");
        assert!(text.contains("`customer.shoe_size`"), "{text}");
        // Without names, `name:` is left for the writer.
        let document = crate::document::parse(text.as_bytes(), 1 << 20).unwrap();
        assert_eq!(document.value["from"]["name"], Value::Null);
    }

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("a verylongword b", 4), vec!["a", "verylongword", "b"]);
        assert!(wrap("  ", 10).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn yaml_text_reads_back_as_the_same_string(text in "\\PC{0,30}") {
            let yaml = format!("key: {}\n", yaml_text(&text));
            let document = crate::document::parse(yaml.as_bytes(), 1 << 20).unwrap();
            proptest::prop_assert_eq!(&document.value["key"], &Value::String(text));
        }

        #[test]
        fn yaml_text_reads_back_with_yaml_punctuation(text in "[ -~]{0,12}") {
            let yaml = format!("key: {}\n", yaml_text(&text));
            let document = crate::document::parse(yaml.as_bytes(), 1 << 20).unwrap();
            proptest::prop_assert_eq!(&document.value["key"], &Value::String(text));
        }
    }

    #[test]
    fn yaml_text_keeps_ordinary_text_plain() {
        assert_eq!(yaml_text("Jane Doe"), "Jane Doe");
        assert_eq!(
            yaml_text("Acme Corp — Sales → CS handoff"),
            "Acme Corp — Sales → CS handoff"
        );
        assert_eq!(yaml_text("jane.doe@example.com"), "jane.doe@example.com");
        assert_eq!(yaml_text("yes"), "\"yes\"");
        assert_eq!(yaml_text("a: b"), "\"a: b\"");
        assert_eq!(yaml_text("[Name]"), "\"[Name]\"");
    }
}
