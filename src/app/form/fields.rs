//! A form's fields: what each holds, how it takes input (one line, several lines, a choice, a
//! yes/no), and the pieces the form builders make them from (placeholders, team and level
//! choices). Pure.

use ratatui_textarea::TextArea;

use crate::domain::State;
use crate::domain::vocab::{ConferenceKind, Level, Sex, TeamKind, fold};
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    /// Student name.
    Student,
    /// School.
    School,
    /// Grade and class.
    Grade,
    /// Birth date.
    Birth,
    /// Sex.
    Sex,
    /// Lead team.
    Lead,
    /// Cooperating teams (typed, comma-separated).
    CoTeams,
    /// Crisis level.
    Level,
    /// Stage.
    Stage,
    /// Domains and sub-items (typed, comma-separated).
    Domains,
    /// Review date.
    Review,
    /// Person in charge / person doing an action.
    Person,
    /// Who referred the student.
    Source,
    /// Case summary.
    Summary,
    /// Urgent flag.
    Urgent,
    /// Safety flag.
    Safety,
    /// Day a consent was given or withdrawn.
    ConsentOn,
    /// What the consent form does: record a consent, or withdraw one.
    ConsentDo,
    /// Collection and use, or sharing.
    ConsentKind,
    /// The agency a sharing consent allows.
    ConsentAgency,
    /// Who gave a consent.
    ConsentBy,
    /// Why an action goes to an outside agency without a consent to share.
    WithoutConsent,
    /// Background items (typed, comma-separated).
    Background,
    /// Confirms a stage more than one step ahead.
    SkipStages,
    /// Registers a case although one for the same student exists.
    AllowDuplicate,
    /// Action title.
    Title,
    /// Owner team of an action.
    Team,
    /// Due date.
    Due,
    /// Reason for dropping.
    Reason,
    /// Note text.
    Text,
    /// Restricted note.
    Restricted,
    /// A decision.
    Decision,
    /// A conference's day.
    Date,
    /// A conference's kind.
    Kind,
    /// A conference's title.
    ConferenceTitle,
    /// Who runs a conference.
    Facilitator,
    /// A case number.
    Case,
    /// Present at a conference.
    Present,
    /// A correction to a closed conference.
    Correction,
}

/// A choice among a few values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// `(code, label)` pairs.
    pub options: Vec<(String, String)>,
    /// The chosen one.
    pub selected: usize,
    /// What has been typed to pick one (`WELF`, `교육`), until an arrow key or another field.
    pub typed: String,
}

impl Choice {
    pub(super) fn step(&mut self, delta: isize) {
        self.typed.clear();
        if self.options.is_empty() {
            return;
        }
        let n = self.options.len() as isize;
        self.selected = (self.selected as isize + delta).rem_euclid(n) as usize;
    }

    /// Picks the option whose code or label best fits what has been typed: an exact code
    /// first, then a code or label that starts with it, then one that contains it.
    pub(super) fn pick_typed(&mut self) -> bool {
        let wanted = fold(&self.typed);
        if wanted.is_empty() {
            return false;
        }
        let folded: Vec<(String, String)> = self
            .options
            .iter()
            .map(|(code, label)| (fold(code), fold(label)))
            .collect();
        let found = folded
            .iter()
            .position(|(code, _)| *code == wanted)
            .or_else(|| {
                folded.iter().position(|(code, label)| {
                    code.starts_with(&wanted) || label.starts_with(&wanted)
                })
            })
            .or_else(|| folded.iter().position(|(_, label)| label.contains(&wanted)));
        match found {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }
}

/// How a field takes input.
#[derive(Debug, Clone)]
pub enum Input {
    /// One line of text.
    Text(TextArea<'static>),
    /// Several lines (notes); `C-j` starts a new line.
    Lines(TextArea<'static>),
    /// One of a few values, changed with ←/→ (or C-p/C-n), or by typing its code or name.
    Choice(Choice),
    /// Yes or no, changed with Space.
    Toggle(bool),
}

/// One field of a form.
#[derive(Debug, Clone)]
pub struct Field {
    /// What it is.
    pub id: FieldId,
    /// Must be filled in.
    pub required: bool,
    /// Its input.
    pub input: Input,
}

impl Field {
    /// The text typed into a text field (empty for other kinds).
    pub fn text(&self) -> String {
        match &self.input {
            Input::Text(t) | Input::Lines(t) => t.lines().join("\n"),
            _ => String::new(),
        }
    }

    /// The chosen code of a choice field.
    pub fn code(&self) -> Option<&str> {
        match &self.input {
            Input::Choice(c) => c.options.get(c.selected).map(|(code, _)| code.as_str()),
            _ => None,
        }
    }

    pub(super) fn toggle(&self) -> bool {
        matches!(self.input, Input::Toggle(true))
    }

    /// The field's value as text, to tell whether anything was changed.
    pub fn value(&self) -> String {
        match &self.input {
            Input::Text(_) | Input::Lines(_) => self.text(),
            Input::Choice(_) => self.code().unwrap_or("").to_string(),
            Input::Toggle(on) => on.to_string(),
        }
    }
}

/// A placeholder that reads as an example even without colour: `(예: 홍길동)`.
pub(super) fn eg(lang: Lang, ko: &str, en: &str) -> String {
    match lang {
        Lang::Ko => format!("(예: {ko})"),
        Lang::En => format!("(e.g. {en})"),
    }
}

pub(super) fn text(value: &str, hint: &str) -> Input {
    let mut area = TextArea::new(vec![value.to_string()]);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    if !hint.is_empty() {
        area.set_placeholder_text(hint.to_string());
    }
    area.set_cursor_line_style(ratatui::style::Style::default());
    Input::Text(area)
}

pub(super) fn lines(hint: &str) -> Input {
    let mut area = TextArea::default();
    area.set_placeholder_text(hint.to_string());
    area.set_cursor_line_style(ratatui::style::Style::default());
    Input::Lines(area)
}

pub(super) fn field(id: FieldId, required: bool, input: Input) -> Field {
    Field {
        id,
        required,
        input,
    }
}

pub(super) fn choice(options: Vec<(String, String)>, selected_code: &str) -> Input {
    let selected = options
        .iter()
        .position(|(c, _)| c == selected_code)
        .unwrap_or(0);
    Input::Choice(Choice {
        options,
        selected,
        typed: String::new(),
    })
}

pub(super) fn team_options(
    state: &State,
    internal_only: bool,
    lang: Lang,
) -> Vec<(String, String)> {
    state
        .teams
        .values()
        .filter(|t| !internal_only || t.kind == TeamKind::Internal)
        .map(|t| (t.code.to_string(), format!("{} {}", t.code, t.name(lang))))
        .collect()
}

pub(super) fn level_options(lang: Lang) -> Vec<(String, String)> {
    Level::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.label(lang).to_string()))
        .collect()
}

pub(super) fn kind_options(lang: Lang) -> Vec<(String, String)> {
    ConferenceKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label(lang).to_string()))
        .collect()
}

pub(super) fn sex_options(lang: Lang) -> Vec<(String, String)> {
    std::iter::once((
        String::new(),
        lang.pick("기록 안 함", "not recorded").to_string(),
    ))
    .chain(
        Sex::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.label(lang).to_string())),
    )
    .collect()
}
