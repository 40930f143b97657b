//! The part of the REFI-QDA data model voces writes and reads: users, the
//! code tree, variables and cases, text sources with their selections and
//! codings. Element and attribute names follow the standard; every
//! reference is a GUID string as written in the file.

/// A REFI-QDA project (`project.qde`), or the code tree of a codebook
/// (`.qdc`, with only [`RefiProject::codes`] and [`RefiProject::origin`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefiProject {
    /// `name` of `<Project>`.
    pub name: String,
    /// `origin`: the program that wrote the file.
    pub origin: Option<String>,
    /// `creatingUserGUID`.
    pub creating_user: Option<String>,
    /// `<Users>`.
    pub users: Vec<User>,
    /// `<CodeBook><Codes>`: the top-level codes, each with its sub-codes.
    pub codes: Vec<Code>,
    /// `<Variables>`.
    pub variables: Vec<Variable>,
    /// `<Cases>`.
    pub cases: Vec<Case>,
    /// `<Sources>`: the text sources (other kinds are counted in
    /// [`RefiProject::ignored`] when read).
    pub sources: Vec<TextSource>,
    /// Elements read but not kept, with how many there were (`PDFSource`,
    /// `Note`, `Set`...): what an import loses.
    pub ignored: Vec<(String, usize)>,
}

/// `<User>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// `guid`.
    pub guid: String,
    /// `name`.
    pub name: Option<String>,
}

/// `<Code>`, with its sub-codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// `guid`.
    pub guid: String,
    /// `name`.
    pub name: String,
    /// `isCodable`.
    pub codable: bool,
    /// `color`, `#rrggbb` or `#rgb`.
    pub color: Option<String>,
    /// `<Description>`.
    pub description: Option<String>,
    /// Sub-codes.
    pub children: Vec<Code>,
}

/// `typeOfVariable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum VariableType {
    /// Free text.
    Text,
    /// True or false.
    Boolean,
    /// A whole number.
    Integer,
    /// A decimal number.
    Float,
    /// An `xsd:date` (`2024-02-20`).
    Date,
    /// An `xsd:dateTime`.
    DateTime,
}

impl VariableType {
    /// The name the standard uses.
    pub fn as_str(self) -> &'static str {
        match self {
            VariableType::Text => "Text",
            VariableType::Boolean => "Boolean",
            VariableType::Integer => "Integer",
            VariableType::Float => "Float",
            VariableType::Date => "Date",
            VariableType::DateTime => "DateTime",
        }
    }

    /// The type a `typeOfVariable` names.
    pub fn parse(s: &str) -> Option<VariableType> {
        Some(match s.trim() {
            "Text" => VariableType::Text,
            "Boolean" => VariableType::Boolean,
            "Integer" => VariableType::Integer,
            "Float" => VariableType::Float,
            "Date" => VariableType::Date,
            "DateTime" => VariableType::DateTime,
            _ => return None,
        })
    }
}

/// `<Variable>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// `guid`.
    pub guid: String,
    /// `name`.
    pub name: String,
    /// `typeOfVariable`.
    pub kind: VariableType,
}

/// The value of a `<VariableValue>`, by the element that holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `<TextValue>`.
    Text(String),
    /// `<BooleanValue>`.
    Boolean(bool),
    /// `<IntegerValue>`.
    Integer(i64),
    /// `<FloatValue>`.
    Float(f64),
    /// `<DateValue>`.
    Date(String),
    /// `<DateTimeValue>`.
    DateTime(String),
}

/// `<VariableValue>`: a variable's value for a case or a source.
#[derive(Debug, Clone, PartialEq)]
pub struct VariableValue {
    /// `VariableRef targetGUID`.
    pub variable: String,
    /// The value.
    pub value: Value,
}

/// `<Case>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// `guid`.
    pub guid: String,
    /// `name`.
    pub name: Option<String>,
    /// `<VariableValue>`s.
    pub values: Vec<VariableValue>,
    /// `SourceRef targetGUID`s.
    pub sources: Vec<String>,
}

/// `<TextSource>`.
#[derive(Debug, Clone, PartialEq)]
pub struct TextSource {
    /// `guid`.
    pub guid: String,
    /// `name`.
    pub name: Option<String>,
    /// `plainTextPath` (`internal://FILE.txt` for a file in the archive).
    pub plain_text_path: Option<String>,
    /// `richTextPath` (`internal://FILE.docx`).
    pub rich_text_path: Option<String>,
    /// `<PlainTextContent>`: the text given inline instead of a file.
    pub plain_text_content: Option<String>,
    /// `creatingUser`.
    pub creating_user: Option<String>,
    /// `<PlainTextSelection>`s.
    pub selections: Vec<Selection>,
    /// `<Coding>`s of the whole source.
    pub codings: Vec<Coding>,
    /// `<VariableValue>`s of the source.
    pub values: Vec<VariableValue>,
}

/// `<PlainTextSelection>`: characters `start..end` (Unicode code points
/// from 0, end excluded) of the source's plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// `guid`.
    pub guid: String,
    /// `name` (tools put the start of the quote there).
    pub name: Option<String>,
    /// `startPosition`.
    pub start: i64,
    /// `endPosition`.
    pub end: i64,
    /// `creatingUser`.
    pub creating_user: Option<String>,
    /// `creationDateTime`.
    pub created: Option<String>,
    /// `<Coding>`s.
    pub codings: Vec<Coding>,
}

/// `<Coding>`: a code applied to a selection (or a source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coding {
    /// `guid`.
    pub guid: String,
    /// `CodeRef targetGUID`.
    pub code: String,
    /// `creatingUser`.
    pub creating_user: Option<String>,
    /// `creationDateTime`.
    pub created: Option<String>,
}

impl Code {
    /// This code and its sub-codes, depth first (parents before children),
    /// with the depth of each (0 for this code).
    pub fn walk(&self) -> Vec<(usize, &Code)> {
        let mut out = Vec::new();
        let mut stack = vec![(0usize, self)];
        while let Some((depth, code)) = stack.pop() {
            out.push((depth, code));
            stack.extend(code.children.iter().rev().map(|c| (depth + 1, c)));
        }
        out
    }
}

impl RefiProject {
    /// Every code of the tree, depth first.
    pub fn all_codes(&self) -> impl Iterator<Item = &Code> {
        self.codes
            .iter()
            .flat_map(|c| c.walk().into_iter().map(|(_, c)| c))
    }

    /// Number of codings, in selections and on whole sources.
    pub fn coding_count(&self) -> usize {
        self.sources
            .iter()
            .map(|s| s.codings.len() + s.selections.iter().map(|x| x.codings.len()).sum::<usize>())
            .sum()
    }

    /// Number of selections.
    pub fn selection_count(&self) -> usize {
        self.sources.iter().map(|s| s.selections.len()).sum()
    }
}
