//! The forms (new case, edit case, add or edit an action, drop an action, note): their fields,
//! typing into them, live previews of dates, teams and domains, and turning them into one store
//! command. Pure: no IO, "today" comes from the app.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use crate::domain::holidays::Calendar;
use crate::domain::model::Student;
use crate::domain::model::{AgendaReason, Attendee, Conference};
use crate::domain::revision::Expect;
use crate::domain::state::{parse_domains, parse_grade};
use crate::domain::vocab::{ConferenceKind, Level, Sex, Stage, TeamKind, fold};
use crate::domain::{
    Action, ActionId, ActionUpdate, CaseNumber, CaseUpdate, Command, ConferenceUpdate, DomainError,
    NewCase, PlannedItem, State,
};
use crate::i18n::{Lang, Localize};

/// Which form is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// Register a case.
    NewCase,
    /// Change a case's teams, level, stage, review date, person in charge, consent.
    EditCase(CaseNumber),
    /// Add an action to a case.
    AddAction(CaseNumber),
    /// Change an open action's title, owner, due date or person.
    EditAction(ActionId),
    /// Drop an action, with a reason.
    DropAction(ActionId),
    /// Add a note to a case.
    Note(CaseNumber),
    /// Record a decision at a running conference.
    Decision(u32, CaseNumber),
    /// Set a case's next review date (at a conference).
    Review(CaseNumber),
    /// Change a case's crisis level (at a conference).
    Level(CaseNumber),
    /// Change a case's stage (at a conference).
    Stage(CaseNumber),
    /// Prepare a new conference.
    NewConference,
    /// Change a conference's date, title, kind or facilitator.
    ConferenceDetails(u32),
    /// Put a case on a conference's agenda.
    AgendaAdd(u32),
    /// Add someone to a conference's attendance.
    AttendeeAdd(u32),
    /// Add a correction to a closed conference.
    Amend(u32),
}

/// What a field holds, for building the command.
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
    /// Day of guardian consent.
    ConsentOn,
    /// Agencies the guardian agreed to share with.
    ConsentTo,
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

impl FieldId {
    /// The field's label.
    pub fn label(self, lang: Lang) -> &'static str {
        let (ko, en) = match self {
            FieldId::Student => ("학생 이름", "Student"),
            FieldId::School => ("학교", "School"),
            FieldId::Grade => ("학년-반", "Grade-class"),
            FieldId::Birth => ("생년월일", "Birth date"),
            FieldId::Sex => ("성별", "Sex"),
            FieldId::Lead => ("주관부서", "Lead team"),
            FieldId::CoTeams => ("협력부서", "Cooperating"),
            FieldId::Level => ("위기 수준", "Crisis level"),
            FieldId::Stage => ("단계", "Stage"),
            FieldId::Domains => ("어려움 영역", "Domains"),
            FieldId::Review => ("다음 점검일", "Next review"),
            FieldId::Person => ("담당자", "Person"),
            FieldId::Source => ("의뢰처", "Referred by"),
            FieldId::Summary => ("요약", "Summary"),
            FieldId::Urgent => ("긴급", "Urgent"),
            FieldId::Safety => ("안전 우려", "Safety concern"),
            FieldId::ConsentOn => ("보호자 동의일", "Consent on"),
            FieldId::ConsentTo => ("제3자 제공", "Shared with"),
            FieldId::Title => ("조치 내용", "Action"),
            FieldId::Team => ("담당 부서", "Owner team"),
            FieldId::Due => ("기한", "Due"),
            FieldId::Reason => ("취소 사유", "Reason"),
            FieldId::Text => ("기록", "Note"),
            FieldId::Restricted => ("제한 기록", "Restricted"),
            FieldId::Decision => ("결정사항", "Decision"),
            FieldId::Date => ("회의 날짜", "Date"),
            FieldId::Kind => ("종류", "Kind"),
            FieldId::ConferenceTitle => ("회의 제목", "Title"),
            FieldId::Facilitator => ("진행", "Facilitator"),
            FieldId::Case => ("사례 번호", "Case number"),
            FieldId::Present => ("참석", "Present"),
            FieldId::Correction => ("정정 내용", "Correction"),
        };
        lang.pick(ko, en)
    }
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
    fn step(&mut self, delta: isize) {
        self.typed.clear();
        if self.options.is_empty() {
            return;
        }
        let n = self.options.len() as isize;
        self.selected = (self.selected as isize + delta).rem_euclid(n) as usize;
    }

    /// Picks the option whose code or label best fits what has been typed: an exact code
    /// first, then a code or label that starts with it, then one that contains it.
    fn pick_typed(&mut self) -> bool {
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

    fn toggle(&self) -> bool {
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

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    /// Which form.
    pub kind: FormKind,
    /// Extra words for the title (the action being dropped or changed).
    pub subject: String,
    /// Its fields, in order.
    pub fields: Vec<Field>,
    /// The field with the cursor.
    pub focus: usize,
    /// Why the last save failed, shown in the form until the next change.
    pub error: Option<String>,
    /// The running conference the form records into, when it was opened there.
    pub conference: Option<u32>,
    /// The records the form rests on, as they were when it opened.
    pub base: Option<Vec<Expect>>,
    initial: Vec<String>,
}

/// The records a form of `kind` changes, as they are in `state`: saving it is refused if any
/// changed since.
pub fn expectations(kind: FormKind, state: &State) -> Vec<Expect> {
    use crate::domain::revision::{RecordRef, action_rev, case_rev, conference_rev};
    let case = |n: CaseNumber| {
        state.cases.get(&n).map(|c| Expect {
            record: RecordRef::Case(n),
            rev: case_rev(c),
        })
    };
    let found = match kind {
        FormKind::EditCase(n) | FormKind::Review(n) | FormKind::Level(n) | FormKind::Stage(n) => {
            case(n)
        }
        FormKind::EditAction(id) => state.actions.get(&id).map(|a| Expect {
            record: RecordRef::Action(id),
            rev: action_rev(a),
        }),
        FormKind::ConferenceDetails(id) => state.conferences.get(&id).map(|c| Expect {
            record: RecordRef::Conference(id),
            rev: conference_rev(c),
        }),
        _ => None,
    };
    found.into_iter().collect()
}

/// A placeholder that reads as an example even without colour: `(예: 홍길동)`.
fn eg(lang: Lang, ko: &str, en: &str) -> String {
    match lang {
        Lang::Ko => format!("(예: {ko})"),
        Lang::En => format!("(e.g. {en})"),
    }
}

fn text(value: &str, hint: &str) -> Input {
    let mut area = TextArea::new(vec![value.to_string()]);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    if !hint.is_empty() {
        area.set_placeholder_text(hint.to_string());
    }
    area.set_cursor_line_style(ratatui::style::Style::default());
    Input::Text(area)
}

fn lines(hint: &str) -> Input {
    let mut area = TextArea::default();
    area.set_placeholder_text(hint.to_string());
    area.set_cursor_line_style(ratatui::style::Style::default());
    Input::Lines(area)
}

fn field(id: FieldId, required: bool, input: Input) -> Field {
    Field {
        id,
        required,
        input,
    }
}

fn choice(options: Vec<(String, String)>, selected_code: &str) -> Input {
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

fn team_options(state: &State, internal_only: bool, lang: Lang) -> Vec<(String, String)> {
    state
        .teams
        .values()
        .filter(|t| !internal_only || t.kind == TeamKind::Internal)
        .map(|t| (t.code.to_string(), format!("{} {}", t.code, t.name(lang))))
        .collect()
}

fn level_options(lang: Lang) -> Vec<(String, String)> {
    Level::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.label(lang).to_string()))
        .collect()
}

fn kind_options(lang: Lang) -> Vec<(String, String)> {
    ConferenceKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label(lang).to_string()))
        .collect()
}

fn sex_options(lang: Lang) -> Vec<(String, String)> {
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

/// "을" or "를" after `word`, as Korean grammar wants (받침 or not).
fn eul_reul(word: &str) -> &'static str {
    match word.chars().last() {
        Some(c @ '가'..='힣') if !(c as u32 - 0xAC00).is_multiple_of(28) => "을",
        Some('가'..='힣') => "를",
        _ => "을(를)",
    }
}

impl Form {
    fn new(kind: FormKind, subject: String, fields: Vec<Field>) -> Form {
        let initial = fields.iter().map(Field::value).collect();
        Form {
            kind,
            subject,
            fields,
            focus: 0,
            error: None,
            conference: None,
            base: None,
            initial,
        }
    }

    /// True when something was typed or changed since the form opened.
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .map(Field::value)
            .ne(self.initial.iter().cloned())
    }

    /// A new-case form.
    pub fn new_case(state: &State, lang: Lang) -> Form {
        let lead = state
            .teams
            .keys()
            .find(|c| c.as_str() == "CENTER")
            .map(ToString::to_string)
            .unwrap_or_default();
        Form::new(
            FormKind::NewCase,
            String::new(),
            vec![
                field(
                    FieldId::Student,
                    true,
                    text("", &eg(lang, "홍길동", "Hong Gildong")),
                ),
                field(
                    FieldId::School,
                    true,
                    text("", &eg(lang, "한빛초등학교", "Hanbit Elementary")),
                ),
                field(FieldId::Grade, true, text("", &eg(lang, "3-2", "3-2"))),
                field(
                    FieldId::Lead,
                    true,
                    choice(team_options(state, true, lang), &lead),
                ),
                field(
                    FieldId::CoTeams,
                    false,
                    text("", &eg(lang, "CPA, MHC", "CPA, MHC")),
                ),
                field(
                    FieldId::Level,
                    true,
                    choice(level_options(lang), Level::Watch.code()),
                ),
                field(
                    FieldId::Domains,
                    false,
                    text("", &eg(lang, "학업, 우울, 학대", "learning, depression")),
                ),
                field(
                    FieldId::Review,
                    false,
                    text("", &eg(lang, "+2w, 12/5, 다음주 금", "+2w, 12/5, next fri")),
                ),
                field(
                    FieldId::Person,
                    false,
                    text("", &eg(lang, "담당 선생님", "person in charge")),
                ),
                field(
                    FieldId::Source,
                    false,
                    text("", &eg(lang, "한빛초 담임교사", "homeroom teacher")),
                ),
                field(
                    FieldId::Birth,
                    false,
                    text("", &eg(lang, "2015-03-02", "2015-03-02")),
                ),
                field(FieldId::Sex, false, choice(sex_options(lang), "")),
                field(
                    FieldId::Summary,
                    false,
                    text("", &eg(lang, "잦은 결석, 식사 거름", "often absent")),
                ),
                field(FieldId::Urgent, false, Input::Toggle(false)),
                field(FieldId::Safety, false, Input::Toggle(false)),
            ],
        )
    }

    /// An edit form for a case, filled with its current values.
    pub fn edit_case(state: &State, number: CaseNumber, lang: Lang) -> Option<Form> {
        let case = state.cases.get(&number)?;
        let co: Vec<String> = case.co_teams.iter().map(ToString::to_string).collect();
        let shared: Vec<String> = case
            .consent
            .third_party
            .iter()
            .map(ToString::to_string)
            .collect();
        let stages = Stage::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.label(lang).to_string()))
            .collect();
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Some(Form::new(
            FormKind::EditCase(number),
            String::new(),
            vec![
                field(
                    FieldId::Lead,
                    true,
                    choice(team_options(state, true, lang), case.lead_team.as_str()),
                ),
                field(
                    FieldId::CoTeams,
                    false,
                    text(&co.join(", "), &eg(lang, "CPA, MHC", "CPA, MHC")),
                ),
                field(
                    FieldId::Level,
                    true,
                    choice(level_options(lang), case.level.code()),
                ),
                field(FieldId::Stage, true, choice(stages, case.stage.code())),
                field(
                    FieldId::Review,
                    false,
                    text(&date(case.review_on), &eg(lang, "+2w", "+2w")),
                ),
                field(
                    FieldId::Person,
                    false,
                    text(
                        case.lead_person.as_deref().unwrap_or(""),
                        &eg(lang, "담당 선생님", "person in charge"),
                    ),
                ),
                field(
                    FieldId::ConsentOn,
                    false,
                    text(
                        &date(case.consent.collection_on),
                        &eg(lang, "오늘", "today"),
                    ),
                ),
                field(
                    FieldId::ConsentTo,
                    false,
                    text(&shared.join(", "), &eg(lang, "CPA, MHC", "CPA, MHC")),
                ),
            ],
        ))
    }

    /// An add-action form; the owner defaults to the case's lead team.
    pub fn add_action(state: &State, number: CaseNumber, lang: Lang) -> Option<Form> {
        let case = state.cases.get(&number)?;
        Some(Form::new(
            FormKind::AddAction(number),
            String::new(),
            vec![
                field(
                    FieldId::Title,
                    true,
                    text("", &eg(lang, "보호자 상담", "home visit")),
                ),
                field(
                    FieldId::Team,
                    true,
                    choice(team_options(state, false, lang), case.lead_team.as_str()),
                ),
                field(
                    FieldId::Due,
                    true,
                    text(
                        "",
                        &eg(
                            lang,
                            "+3d, 12/5, 금, 다음주 금, +5bd",
                            "+3d, 12/5, fri, next fri, +5bd",
                        ),
                    ),
                ),
                field(
                    FieldId::Person,
                    false,
                    text("", &eg(lang, "담당 선생님", "who does it")),
                ),
            ],
        ))
    }

    /// An edit form for an open action, filled with its current values.
    pub fn edit_action(state: &State, action: &Action, lang: Lang) -> Form {
        Form::new(
            FormKind::EditAction(action.id),
            action.title.clone(),
            vec![
                field(FieldId::Title, true, text(&action.title, "")),
                field(
                    FieldId::Team,
                    true,
                    choice(team_options(state, false, lang), action.team.as_str()),
                ),
                field(
                    FieldId::Due,
                    true,
                    text(&action.due_on.to_string(), &eg(lang, "+1w", "+1w")),
                ),
                field(
                    FieldId::Person,
                    false,
                    text(
                        action.person.as_deref().unwrap_or(""),
                        &eg(lang, "담당 선생님", "who does it"),
                    ),
                ),
            ],
        )
    }

    /// A drop-action form (the reason is required); `title` says which action.
    pub fn drop_action(id: ActionId, title: &str, lang: Lang) -> Form {
        Form::new(
            FormKind::DropAction(id),
            title.to_string(),
            vec![field(
                FieldId::Reason,
                true,
                text("", &eg(lang, "보호자가 거부함", "the family declined")),
            )],
        )
    }

    /// A note form.
    pub fn note(number: CaseNumber, lang: Lang) -> Form {
        Form::new(
            FormKind::Note(number),
            String::new(),
            vec![
                field(
                    FieldId::Text,
                    true,
                    lines(lang.pick("내용 (C-j: 줄바꿈)", "text (C-j: new line)")),
                ),
                field(FieldId::Restricted, false, Input::Toggle(false)),
            ],
        )
    }

    /// A decision form for the item `case` of the running conference `id`.
    pub fn decision(id: u32, case: CaseNumber, lang: Lang) -> Form {
        let mut form = Form::new(
            FormKind::Decision(id, case),
            String::new(),
            vec![field(
                FieldId::Decision,
                true,
                lines(lang.pick(
                    "결정한 내용 (C-j: 줄바꿈, Enter: 저장)",
                    "what was decided (C-j: new line, Enter: save)",
                )),
            )],
        );
        form.conference = Some(id);
        form
    }

    /// A next-review-date form.
    pub fn review(
        state: &State,
        case: CaseNumber,
        conference: Option<u32>,
        lang: Lang,
    ) -> Option<Form> {
        state.cases.get(&case)?;
        let mut form = Form::new(
            FormKind::Review(case),
            String::new(),
            vec![field(
                FieldId::Review,
                true,
                text(
                    "",
                    &eg(lang, "+2w, 12/12, 다음주 금", "+2w, 12/12, next fri"),
                ),
            )],
        );
        form.conference = conference;
        Some(form)
    }

    /// A crisis-level form, on the case's level.
    pub fn level(
        state: &State,
        case: CaseNumber,
        conference: Option<u32>,
        lang: Lang,
    ) -> Option<Form> {
        let current = state.cases.get(&case)?.level;
        let mut form = Form::new(
            FormKind::Level(case),
            String::new(),
            vec![field(
                FieldId::Level,
                true,
                choice(level_options(lang), current.code()),
            )],
        );
        form.conference = conference;
        Some(form)
    }

    /// A stage form, on the stage a case would move to next.
    pub fn stage(
        state: &State,
        case: CaseNumber,
        conference: Option<u32>,
        lang: Lang,
    ) -> Option<Form> {
        let current = state.cases.get(&case)?.stage;
        let next = Stage::ALL
            .iter()
            .copied()
            .find(|s| *s > current && s.is_open())
            .unwrap_or(current);
        // Only the moves the rules allow: stay, one step on, or back to 진단 or 사례회의.
        let stages = Stage::ALL
            .iter()
            .filter(|s| {
                **s == current
                    || **s == next
                    || (matches!(s, Stage::Assessment | Stage::Conference) && **s < current)
            })
            .map(|s| (s.code().to_string(), s.label(lang).to_string()))
            .collect();
        let mut form = Form::new(
            FormKind::Stage(case),
            String::new(),
            vec![field(FieldId::Stage, true, choice(stages, next.code()))],
        );
        form.conference = conference;
        Some(form)
    }

    /// A new-conference form: the day (today), the kind, a title (made from the day when left
    /// empty) and the facilitator (the user).
    pub fn new_conference(user: &str, lang: Lang) -> Form {
        Form::new(
            FormKind::NewConference,
            String::new(),
            vec![
                field(
                    FieldId::Date,
                    true,
                    text(
                        lang.pick("오늘", "today"),
                        &eg(lang, "오늘, 금, 12/4", "today, fri, 12/4"),
                    ),
                ),
                field(FieldId::Kind, true, choice(kind_options(lang), "regular")),
                field(
                    FieldId::ConferenceTitle,
                    false,
                    text(
                        "",
                        lang.pick("(비우면: 날짜 정기 사례회의)", "(empty: date and kind)"),
                    ),
                ),
                field(FieldId::Facilitator, true, text(user, "")),
            ],
        )
    }

    /// A form with a conference's date, kind, title and facilitator.
    pub fn conference_details(state: &State, id: u32, lang: Lang) -> Option<Form> {
        let conf = state.conferences.get(&id)?;
        Some(Form::new(
            FormKind::ConferenceDetails(id),
            String::new(),
            vec![
                field(FieldId::Date, true, text(&conf.date.to_string(), "")),
                field(
                    FieldId::Kind,
                    true,
                    choice(kind_options(lang), conf.kind.code()),
                ),
                field(FieldId::ConferenceTitle, true, text(&conf.title, "")),
                field(FieldId::Facilitator, true, text(&conf.facilitator, "")),
            ],
        ))
    }

    /// A form that puts a case (by number) on a conference's agenda.
    pub fn agenda_add(id: u32, lang: Lang) -> Form {
        Form::new(
            FormKind::AgendaAdd(id),
            String::new(),
            vec![field(
                FieldId::Case,
                true,
                text("", &eg(lang, "2026-0012", "2026-0012")),
            )],
        )
    }

    /// A form that adds a team (and a person) to a conference's attendance.
    pub fn attendee_add(state: &State, id: u32, lang: Lang) -> Form {
        Form::new(
            FormKind::AttendeeAdd(id),
            String::new(),
            vec![
                field(
                    FieldId::Team,
                    true,
                    choice(team_options(state, false, lang), "CENTER"),
                ),
                field(
                    FieldId::Person,
                    false,
                    text("", &eg(lang, "참석자 이름", "who came")),
                ),
                field(FieldId::Present, false, Input::Toggle(true)),
            ],
        )
    }

    /// A correction form for a closed conference, about the agenda item `case` if given.
    pub fn amend(id: u32, case: Option<CaseNumber>, lang: Lang) -> Form {
        Form::new(
            FormKind::Amend(id),
            String::new(),
            vec![
                field(
                    FieldId::Case,
                    false,
                    text(
                        &case.map(|c| c.to_string()).unwrap_or_default(),
                        lang.pick("(비우면: 회의 전체)", "(empty: the whole conference)"),
                    ),
                ),
                field(
                    FieldId::Correction,
                    true,
                    lines(lang.pick("무엇을 바로잡는지", "what is corrected")),
                ),
            ],
        )
    }

    /// The form's title.
    pub fn title(&self, lang: Lang) -> String {
        let subject = if self.subject.is_empty() {
            String::new()
        } else {
            format!(" · {}", self.subject)
        };
        match self.kind {
            FormKind::NewCase => lang.pick("새 사례", "New case").to_string(),
            FormKind::EditCase(n) => format!("{} {n}", lang.pick("사례 수정", "Edit case")),
            FormKind::AddAction(n) => format!("{} {n}", lang.pick("조치 추가", "Add action to")),
            FormKind::EditAction(id) => {
                format!("{} {id}{subject}", lang.pick("조치 수정", "Edit action"))
            }
            FormKind::DropAction(id) => {
                format!("{} {id}{subject}", lang.pick("조치 취소", "Drop action"))
            }
            FormKind::Note(n) => format!("{} {n}", lang.pick("기록 추가", "Add note to")),
            FormKind::Decision(_, n) => format!("{} {n}", lang.pick("결정사항", "Decision on")),
            FormKind::Review(n) => format!("{} {n}", lang.pick("다음 점검일", "Next review of")),
            FormKind::Level(n) => format!("{} {n}", lang.pick("위기 수준", "Crisis level of")),
            FormKind::Stage(n) => format!("{} {n}", lang.pick("단계", "Stage of")),
            FormKind::NewConference => lang.pick("새 사례회의", "New conference").to_string(),
            FormKind::ConferenceDetails(id) => {
                format!("{} #{id}", lang.pick("사례회의 정보", "Conference"))
            }
            FormKind::AgendaAdd(id) => {
                format!("{} #{id}", lang.pick("안건 추가", "Add to agenda of"))
            }
            FormKind::AttendeeAdd(id) => {
                format!("{} #{id}", lang.pick("참석자 추가", "Add attendee to"))
            }
            FormKind::Amend(id) => format!("{} #{id}", lang.pick("정정 기록", "Correction to")),
        }
    }

    /// The focused field.
    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    fn leave_field(&mut self) {
        if let Some(Field {
            input: Input::Choice(c),
            ..
        }) = self.fields.get_mut(self.focus)
        {
            c.typed.clear();
        }
    }

    /// Moves to the next field; false when already on the last.
    pub fn next_field(&mut self) -> bool {
        if self.focus + 1 < self.fields.len() {
            self.leave_field();
            self.focus += 1;
            true
        } else {
            false
        }
    }

    /// Moves to the previous field.
    pub fn prev_field(&mut self) {
        self.leave_field();
        self.focus = self.focus.saturating_sub(1);
    }

    /// Steps the focused choice by `delta`, or flips a toggle.
    pub fn step_option(&mut self, delta: isize) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            match &mut f.input {
                Input::Choice(c) => c.step(delta),
                Input::Toggle(on) => *on = !*on,
                _ => {}
            }
        }
        self.error = None;
    }

    /// Starts a new line in a notes field.
    pub fn newline(&mut self) {
        if let Some(Field {
            input: Input::Lines(area),
            ..
        }) = self.fields.get_mut(self.focus)
        {
            area.insert_newline();
        }
    }

    /// True when the focused field takes typed text (so plain keys are text, not shortcuts).
    pub fn typing(&self) -> bool {
        matches!(
            self.focused().map(|f| &f.input),
            Some(Input::Text(_) | Input::Lines(_) | Input::Choice(_))
        )
    }

    /// A key no form binding took: goes into the focused field.
    pub fn key(&mut self, key: KeyEvent) {
        self.error = None;
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut f.input {
            Input::Text(area) | Input::Lines(area) => {
                // Enter is handled by the form (next field / save), never a new line here.
                if key.code != KeyCode::Enter {
                    area.input(key);
                }
            }
            Input::Choice(c) => match key.code {
                KeyCode::Left => c.step(-1),
                KeyCode::Right => c.step(1),
                KeyCode::Char(' ') if c.typed.is_empty() => c.step(1),
                KeyCode::Backspace => {
                    c.typed.pop();
                    c.pick_typed();
                }
                KeyCode::Char(ch)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    c.typed.push(ch);
                    if !c.pick_typed() {
                        // Nothing fits what was typed so far: start again from this key.
                        c.typed = ch.to_string();
                        c.pick_typed();
                    }
                }
                _ => {}
            },
            Input::Toggle(on) => {
                if matches!(
                    key.code,
                    KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right
                ) {
                    *on = !*on;
                }
            }
        }
    }

    /// Pasted text goes into the focused text field (one line in one-line fields).
    pub fn paste(&mut self, pasted: &str) {
        self.error = None;
        if let Some(f) = self.fields.get_mut(self.focus) {
            match &mut f.input {
                Input::Text(area) => {
                    area.insert_str(pasted.replace(['\r', '\n'], " "));
                }
                Input::Lines(area) => {
                    area.insert_str(pasted.replace("\r\n", "\n").replace('\r', "\n"));
                }
                _ => {}
            }
        }
    }

    fn get(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    fn text_of(&self, id: FieldId) -> String {
        self.get(id).map(Field::text).unwrap_or_default()
    }

    /// The live preview under a field: the resolved date (with its weekday and any holiday),
    /// teams or domains, or why they cannot be read. `None` for fields without one.
    pub fn preview(
        &self,
        field: &Field,
        state: &State,
        calendar: &Calendar,
        today: NaiveDate,
        lang: Lang,
    ) -> Option<Result<String, String>> {
        let typed = field.text();
        if typed.trim().is_empty() {
            return None;
        }
        let teams = |typed: &str| {
            state
                .resolve_teams(typed)
                .map(|codes| {
                    codes
                        .iter()
                        .map(|c| {
                            state
                                .team(c)
                                .map_or(c.to_string(), |t| format!("{} {}", t.code, t.name(lang)))
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .map_err(|e| e.localize(lang))
        };
        match field.id {
            FieldId::Due | FieldId::Review => Some(date_preview(&typed, calendar, today, lang)),
            FieldId::Date => Some(
                calendar
                    .parse_date_ahead(&typed, today)
                    .map(|d| crate::i18n::day(d, lang))
                    .map_err(|e| e.localize(lang)),
            ),
            FieldId::Case => Some(
                state
                    .find_case(&typed)
                    .map_err(|e| e.localize(lang))
                    .map(|c| {
                        format!(
                            "{} {} · {} {} · {} · {}",
                            c.number,
                            crate::domain::text::mask_name(&c.student.name),
                            c.school,
                            c.grade,
                            c.level.label(lang),
                            c.stage.label(lang)
                        )
                    }),
            ),
            FieldId::Birth | FieldId::ConsentOn => Some(
                calendar
                    .parse_date(&typed, today)
                    .map(|d| crate::i18n::day(d, lang))
                    .map_err(|e| e.localize(lang)),
            ),
            FieldId::CoTeams | FieldId::ConsentTo => Some(teams(&typed)),
            FieldId::Domains => {
                Some(
                    parse_domains(&typed)
                        .map(|(domains, concerns)| {
                            domains
                                .iter()
                                .map(|d| d.label(lang).to_string())
                                .chain(concerns.iter().map(|c| {
                                    format!("{} ({})", c.label(lang), c.domain().label(lang))
                                }))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .map_err(|e| e.localize(lang)),
                )
            }
            FieldId::Grade => Some(
                parse_grade(&typed)
                    .map(|g| g.to_string())
                    .map_err(|e| e.localize(lang)),
            ),
            _ => None,
        }
    }

    /// The store command the form asks for (`None`: nothing changed), or why it cannot be built
    /// yet (shown in the form).
    pub fn command(
        &self,
        state: &State,
        calendar: &Calendar,
        today: NaiveDate,
        lang: Lang,
    ) -> Result<Option<Command>, String> {
        let err = |e: DomainError| e.localize(lang);
        for f in &self.fields {
            if f.required
                && matches!(f.input, Input::Text(_) | Input::Lines(_))
                && f.text().trim().is_empty()
            {
                let label = f.id.label(lang);
                return Err(match lang {
                    Lang::Ko => format!("{label}{} 입력하세요", eul_reul(label)),
                    Lang::En => format!("{label} is required"),
                });
            }
        }
        let ahead = |id: FieldId| -> Result<Option<NaiveDate>, String> {
            let typed = self.text_of(id);
            if typed.trim().is_empty() {
                return Ok(None);
            }
            calendar
                .parse_date_ahead(&typed, today)
                .map(Some)
                .map_err(|e| e.localize(lang))
        };
        let past = |id: FieldId| -> Result<Option<NaiveDate>, String> {
            let typed = self.text_of(id);
            if typed.trim().is_empty() {
                return Ok(None);
            }
            calendar
                .parse_date(&typed, today)
                .map(Some)
                .map_err(|e| e.localize(lang))
        };
        let optional = |id: FieldId| -> Option<String> {
            let t = self.text_of(id);
            (!t.trim().is_empty()).then_some(t)
        };
        let code = |id: FieldId| self.get(id).and_then(Field::code).unwrap_or("").to_string();
        let team = |id: FieldId| state.resolve_team(&code(id)).map_err(err);
        let toggle = |id: FieldId| self.get(id).is_some_and(Field::toggle);
        Ok(Some(match self.kind {
            FormKind::NewCase => {
                let (domains, concerns) =
                    parse_domains(&self.text_of(FieldId::Domains)).map_err(err)?;
                Command::CreateCase {
                    case: NewCase {
                        student: Student {
                            name: self.text_of(FieldId::Student),
                            birth_on: past(FieldId::Birth)?,
                            sex: Sex::parse(&code(FieldId::Sex)),
                        },
                        school: self.text_of(FieldId::School),
                        grade: parse_grade(&self.text_of(FieldId::Grade)).map_err(err)?,
                        lead_team: team(FieldId::Lead)?,
                        co_teams: state
                            .resolve_teams(&self.text_of(FieldId::CoTeams))
                            .map_err(err)?,
                        level: Level::parse(&code(FieldId::Level)),
                        domains,
                        concerns,
                        review_on: ahead(FieldId::Review)?,
                        referral_source: optional(FieldId::Source),
                        referred_on: None,
                        lead_person: optional(FieldId::Person),
                        summary: optional(FieldId::Summary),
                        urgent: toggle(FieldId::Urgent),
                        safety: toggle(FieldId::Safety),
                    },
                }
            }
            FormKind::EditCase(number) => {
                let Some(case) = state.cases.get(&number) else {
                    return Err(err(DomainError::UnknownCase {
                        input: number.to_string(),
                    }));
                };
                let lead = team(FieldId::Lead)?;
                let co = state
                    .resolve_teams(&self.text_of(FieldId::CoTeams))
                    .map_err(err)?;
                let level = Level::parse(&code(FieldId::Level));
                let stage = Stage::parse(&code(FieldId::Stage));
                let review = ahead(FieldId::Review)?;
                let person = optional(FieldId::Person);
                let consent_on = past(FieldId::ConsentOn)?;
                let shared = state
                    .resolve_teams(&self.text_of(FieldId::ConsentTo))
                    .map_err(err)?;
                let change = CaseUpdate {
                    lead_team: (lead != case.lead_team).then_some(lead),
                    co_teams: (co != case.co_teams).then_some(co),
                    level: level.filter(|l| *l != case.level),
                    stage: stage.filter(|s| *s != case.stage),
                    review_on: (review != case.review_on).then_some(review),
                    lead_person: (person != case.lead_person).then_some(person),
                    consent_on: (consent_on != case.consent.collection_on).then_some(consent_on),
                    consent_third_party: (shared != case.consent.third_party).then_some(shared),
                };
                if change == CaseUpdate::default() {
                    return Ok(None);
                }
                Command::UpdateCase {
                    case: number,
                    change,
                    conference: self.conference,
                }
            }
            FormKind::AddAction(number) => {
                let Some(due_on) = ahead(FieldId::Due)? else {
                    return Err(FieldId::Due.label(lang).to_string());
                };
                Command::AddAction {
                    case: number,
                    title: self.text_of(FieldId::Title),
                    team: team(FieldId::Team)?,
                    due_on,
                    person: optional(FieldId::Person),
                    conference: self.conference,
                }
            }
            FormKind::EditAction(id) => {
                let Some(action) = state.actions.get(&id) else {
                    return Err(err(DomainError::UnknownAction {
                        input: id.to_string(),
                    }));
                };
                let title = self.text_of(FieldId::Title);
                let owner = team(FieldId::Team)?;
                let due = ahead(FieldId::Due)?;
                let person = optional(FieldId::Person);
                let change = ActionUpdate {
                    title: (title.trim() != action.title).then_some(title),
                    team: (owner != action.team).then_some(owner),
                    due_on: due.filter(|d| *d != action.due_on),
                    person: (person != action.person).then_some(person),
                };
                if change == ActionUpdate::default() {
                    return Ok(None);
                }
                Command::UpdateAction { action: id, change }
            }
            FormKind::DropAction(action) => Command::DropAction {
                action,
                reason: self.text_of(FieldId::Reason),
            },
            FormKind::Decision(conference, case) => Command::RecordDecision {
                conference,
                case,
                text: self.text_of(FieldId::Decision),
            },
            FormKind::Review(case) => {
                let Some(review) = ahead(FieldId::Review)? else {
                    return Err(FieldId::Review.label(lang).to_string());
                };
                Command::UpdateCase {
                    case,
                    change: CaseUpdate {
                        review_on: Some(Some(review)),
                        ..CaseUpdate::default()
                    },
                    conference: self.conference,
                }
            }
            FormKind::Level(case) | FormKind::Stage(case) => {
                let Some(current) = state.cases.get(&case) else {
                    return Err(err(DomainError::UnknownCase {
                        input: case.to_string(),
                    }));
                };
                let change = match self.kind {
                    FormKind::Level(_) => CaseUpdate {
                        level: Level::parse(&code(FieldId::Level)).filter(|l| *l != current.level),
                        ..CaseUpdate::default()
                    },
                    _ => CaseUpdate {
                        stage: Stage::parse(&code(FieldId::Stage)).filter(|s| *s != current.stage),
                        ..CaseUpdate::default()
                    },
                };
                if change == CaseUpdate::default() {
                    return Ok(None);
                }
                Command::UpdateCase {
                    case,
                    change,
                    conference: self.conference,
                }
            }
            FormKind::NewConference | FormKind::ConferenceDetails(_) => {
                let Some(date) = ahead(FieldId::Date)? else {
                    return Err(FieldId::Date.label(lang).to_string());
                };
                let kind =
                    ConferenceKind::parse(&code(FieldId::Kind)).unwrap_or(ConferenceKind::Regular);
                let title = optional(FieldId::ConferenceTitle);
                let facilitator = self.text_of(FieldId::Facilitator);
                match self.kind {
                    FormKind::ConferenceDetails(id) => {
                        let Some(conf) = state.conferences.get(&id) else {
                            return Err(err(DomainError::Conference(
                                crate::domain::conference::ConferenceProblem::Unknown { id },
                            )));
                        };
                        let title = title.unwrap_or_default();
                        let change = ConferenceUpdate {
                            date: (date != conf.date).then_some(date),
                            title: (title.trim() != conf.title).then_some(title),
                            kind: (kind != conf.kind).then_some(kind),
                            facilitator: (facilitator.trim() != conf.facilitator)
                                .then_some(facilitator),
                            ..ConferenceUpdate::default()
                        };
                        if change == ConferenceUpdate::default() {
                            return Ok(None);
                        }
                        Command::UpdateConference {
                            conference: id,
                            change,
                        }
                    }
                    _ => Command::CreateConference {
                        conference: state.prepare_conference(date, kind, title, facilitator, lang),
                    },
                }
            }
            FormKind::AgendaAdd(id) => {
                let case = state.find_case(&self.text_of(FieldId::Case)).map_err(err)?;
                let Some(conf) = state.conferences.get(&id) else {
                    return Err(err(DomainError::Conference(
                        crate::domain::conference::ConferenceProblem::Unknown { id },
                    )));
                };
                let mut agenda = planned(conf);
                agenda.push(PlannedItem {
                    case: case.number,
                    reasons: vec![AgendaReason::Added],
                    budget_minutes: crate::domain::conference::DEFAULT_BUDGET_MINUTES,
                });
                Command::UpdateConference {
                    conference: id,
                    change: ConferenceUpdate {
                        agenda: Some(agenda),
                        ..ConferenceUpdate::default()
                    },
                }
            }
            FormKind::AttendeeAdd(id) => {
                let Some(conf) = state.conferences.get(&id) else {
                    return Err(err(DomainError::Conference(
                        crate::domain::conference::ConferenceProblem::Unknown { id },
                    )));
                };
                let mut attendees = conf.attendees.clone();
                let team = team(FieldId::Team)?;
                let person = optional(FieldId::Person);
                let present = toggle(FieldId::Present);
                // The team listed without a name is the same seat: it gets the name.
                match attendees
                    .iter_mut()
                    .find(|a| a.team == team && a.person.is_none())
                {
                    Some(seat) => {
                        seat.person = person;
                        seat.present = present;
                    }
                    None => attendees.push(Attendee {
                        team,
                        person,
                        present,
                    }),
                }
                Command::UpdateConference {
                    conference: id,
                    change: ConferenceUpdate {
                        attendees: Some(attendees),
                        ..ConferenceUpdate::default()
                    },
                }
            }
            FormKind::Amend(id) => {
                let typed = self.text_of(FieldId::Case);
                let case = if typed.trim().is_empty() {
                    None
                } else {
                    Some(state.find_case(&typed).map_err(err)?.number)
                };
                Command::AmendConference {
                    conference: id,
                    case,
                    text: self.text_of(FieldId::Correction),
                }
            }
            FormKind::Note(number) => Command::AddNote {
                case: number,
                kind: crate::domain::vocab::NoteKind::Note,
                text: self.text_of(FieldId::Text),
                restricted: toggle(FieldId::Restricted),
            },
        }))
    }
}

/// A conference's agenda as planned items (to change and send back whole).
pub fn planned(conf: &Conference) -> Vec<PlannedItem> {
    conf.agenda
        .iter()
        .map(|i| PlannedItem {
            case: i.case,
            reasons: i.reasons.clone(),
            budget_minutes: i.budget_minutes,
        })
        .collect()
}

/// A due or review date as it will be saved — with its weekday, a warning when it falls on a
/// weekend, public holiday or office closing day, and a note when that year's holidays may still
/// change — or why it will be refused.
fn date_preview(
    typed: &str,
    calendar: &Calendar,
    today: NaiveDate,
    lang: Lang,
) -> Result<String, String> {
    let date = calendar
        .parse_date_ahead(typed, today)
        .map_err(|e| e.localize(lang))?;
    if date < today {
        return Err(DomainError::DueInPast { due: date, today }.localize(lang));
    }
    Ok(calendar.describe(date, lang))
}
