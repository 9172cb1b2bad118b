//! A form's fields: what each holds, how it takes input (one line, several lines, a choice, a
//! yes/no), and the pieces the form builders make them from (placeholders, team and level
//! choices). Pure.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

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
    /// Progress on an open action.
    Progress,
    /// A referral's status.
    ReferralStatus,
    /// A session's number.
    SessionNo,
    /// Held or missed.
    SessionMark,
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
    /// A likely duplicate to merge (a case of the same student).
    MergeCandidate,
    /// Present at a conference.
    Present,
    /// A correction to a closed conference.
    Correction,
    /// A conference's starting time.
    Time,
    /// Where a conference is held.
    Place,
    /// How long a conference runs, in minutes.
    Length,
    /// The next conference's day.
    NextDate,
    /// The next conference's time.
    NextTime,
    /// What an attendee is there as.
    Role,
    /// Present, late, left early or absent.
    Status,
    /// A new agency's name.
    AgencyName,
    /// A new agency's short code.
    AgencyCode,
    /// A new team's code.
    TeamCode,
    /// A new team's Korean name.
    TeamName,
    /// A new team's English name.
    TeamNameEn,
    /// A new team is an outside agency.
    External,
}

/// A choice among a few values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// `(code, label)` pairs; a team's label is its code, a space and its name.
    pub options: Vec<(String, String)>,
    /// The chosen one.
    pub selected: usize,
    /// What has been typed to pick one (`WELF`, `교육`), until an arrow key or another field.
    pub typed: String,
    /// True while what was typed fits no option or more than one: nothing is chosen (the form
    /// saves nothing) until the typing fits one or an option is picked with the arrows.
    pub unresolved: bool,
}

impl Choice {
    pub(super) fn step(&mut self, delta: isize) {
        self.typed.clear();
        self.unresolved = false;
        if self.options.is_empty() {
            return;
        }
        let n = self.options.len() as isize;
        self.selected = (self.selected as isize + delta).rem_euclid(n) as usize;
    }

    /// Leaving the field: a resolved choice forgets what was typed; an unresolved one keeps it,
    /// so that it is still shown and still keeps the form from saving.
    pub(super) fn leave(&mut self) {
        if !self.unresolved {
            self.typed.clear();
        }
    }

    /// The option's name without its code in front (`WELF 교육복지` → `교육복지`).
    fn name_of<'a>(code: &str, label: &'a str) -> &'a str {
        label
            .strip_prefix(code)
            .map(str::trim_start)
            .filter(|rest| !rest.is_empty())
            .unwrap_or(label)
    }

    /// The options that fit what was typed: exactly its code or name, or failing that every
    /// option whose code or name begins with it.
    fn fitting(&self) -> Vec<usize> {
        let wanted = fold(&self.typed);
        if wanted.is_empty() {
            return Vec::new();
        }
        let folded: Vec<(String, String, String)> = self
            .options
            .iter()
            .map(|(code, label)| (fold(code), fold(label), fold(Choice::name_of(code, label))))
            .collect();
        let exact: Vec<usize> = folded
            .iter()
            .enumerate()
            .filter(|(_, (code, label, name))| {
                *code == wanted || *label == wanted || *name == wanted
            })
            .map(|(i, _)| i)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        folded
            .iter()
            .enumerate()
            .filter(|(_, (code, _, name))| code.starts_with(&wanted) || name.starts_with(&wanted))
            .map(|(i, _)| i)
            .collect()
    }

    /// How many options fit what was typed (more than one: ambiguous; none: unknown).
    pub fn fitting_count(&self) -> usize {
        self.fitting().len()
    }

    /// Picks the option that what has been typed names: its code, its name, or a beginning of
    /// either that fits only one option. Anything else (nothing fits, or several do) leaves the
    /// choice unresolved; an empty entry keeps the option chosen before. True when one fits.
    pub(super) fn pick_typed(&mut self) -> bool {
        if fold(&self.typed).is_empty() {
            self.unresolved = false;
            return false;
        }
        match self.fitting().as_slice() {
            [one] => {
                self.selected = *one;
                self.unresolved = false;
                true
            }
            _ => {
                self.unresolved = true;
                false
            }
        }
    }

    /// The options to offer while the choice is unresolved, best first (at most `limit`): those
    /// whose code or name begins with what was typed, then those containing it, then the
    /// closest by spelling.
    pub fn candidates(&self, limit: usize) -> Vec<&(String, String)> {
        let wanted = fold(&self.typed);
        let mut scored: Vec<(u8, f64, usize)> = self
            .options
            .iter()
            .enumerate()
            .map(|(i, (code, label))| {
                let code_f = fold(code);
                let name_f = fold(Choice::name_of(code, label));
                let rank = if code_f.starts_with(&wanted) || name_f.starts_with(&wanted) {
                    0
                } else if code_f.contains(&wanted)
                    || name_f.contains(&wanted)
                    || (!name_f.is_empty() && wanted.contains(&name_f))
                {
                    1
                } else {
                    2
                };
                let similarity = strsim::normalized_levenshtein(&wanted, &name_f)
                    .max(strsim::normalized_levenshtein(&wanted, &code_f));
                (rank, similarity, i)
            })
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        scored
            .into_iter()
            .take(limit)
            .filter_map(|(_, _, i)| self.options.get(i))
            .collect()
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

    /// The chosen code of a choice field (`None` while what was typed fits no single option).
    pub fn code(&self) -> Option<&str> {
        match &self.input {
            Input::Choice(c) if c.unresolved => None,
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
    style_area(&mut area);
    Input::Text(area)
}

pub(super) fn lines(hint: &str) -> Input {
    let mut area = TextArea::default();
    area.set_placeholder_text(hint.to_string());
    style_area(&mut area);
    Input::Lines(area)
}

/// No highlighted cursor line; a selection (a pre-filled value about to be replaced) in reverse
/// video, so it shows without colour too.
fn style_area(area: &mut TextArea<'static>) {
    area.set_cursor_line_style(ratatui::style::Style::default());
    area.set_selection_style(
        ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::REVERSED),
    );
}

/// A key typed into a text input (a form's field, the palette, the filter line), with the
/// editing keys every line editor has: `C-u` clears a one-line input (in several lines, the
/// line up to the cursor), `C-w` deletes the word before the cursor, `C-a`/`C-e` go to the start
/// and the end. Typing over a selection (a pre-filled value just entered) replaces it. Enter is
/// never a new line here: the caller decides what it does.
pub fn edit_text(area: &mut TextArea<'static>, key: KeyEvent, multiline: bool) {
    let ctrl =
        key.modifiers.contains(KeyModifiers::CONTROL) && !key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Enter => {}
        KeyCode::Char('u') if ctrl => {
            if multiline {
                area.cancel_selection();
                area.delete_line_by_head();
            } else {
                area.select_all();
                area.cut();
            }
        }
        KeyCode::Char('w') if ctrl => {
            if !area.is_selecting() {
                area.delete_word();
            } else {
                area.cut();
            }
        }
        KeyCode::Char('a') if ctrl => {
            area.cancel_selection();
            area.move_cursor(CursorMove::Head);
        }
        KeyCode::Char('e') if ctrl => {
            area.cancel_selection();
            area.move_cursor(CursorMove::End);
        }
        _ => {
            area.input(key);
        }
    }
}

/// Selects the whole of a pre-filled one-line input, so that typing replaces it (as in every
/// dialog) while an arrow key or `C-a`/`C-e` keeps it to edit.
pub(super) fn select_prefilled(area: &mut TextArea<'static>) {
    if area.lines().iter().any(|l| !l.is_empty()) {
        area.select_all();
    }
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
        unresolved: false,
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
