//! The case forms: registering a case, and changing one (teams, level, stage, review date,
//! person in charge; consent has its own form). Each: the fields it opens with, and the command it makes. Pure.

use chrono::NaiveDate;

use super::fields::{choice, eg, field, level_options, sex_options, team_options, text};
use super::{FieldId, Form, FormKind, Input, Reading};
use crate::app::message::FormError;
use crate::domain::model::Student;
use crate::domain::state::{parse_domains, parse_grade};
use crate::domain::vocab::{Level, Sex, Stage};
use crate::domain::{CaseNumber, CaseUpdate, Command, DomainError, NewCase, State};
use crate::i18n::Lang;

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
            field(
                FieldId::Background,
                false,
                text("", &eg(lang, "한부모, 다문화", "single parent")),
            ),
            field(FieldId::Urgent, false, Input::Toggle(false)),
            field(FieldId::Safety, false, Input::Toggle(false)),
            field(FieldId::AllowDuplicate, false, Input::Toggle(false)),
        ],
    )
}

/// An edit form for a case, filled with its current values.
pub fn edit_case(state: &State, number: CaseNumber, lang: Lang) -> Option<Form> {
    let case = state.cases.get(&number)?;
    let co: Vec<String> = case.co_teams.iter().map(ToString::to_string).collect();
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
            field(FieldId::SkipStages, false, Input::Toggle(false)),
            field(FieldId::School, true, text(&case.school, "")),
            field(FieldId::Grade, true, text(&case.grade.to_string(), "")),
            field(
                FieldId::Domains,
                false,
                text(
                    &domains_text(case),
                    &eg(lang, "학업, 우울, 학대", "learning, depression"),
                ),
            ),
            field(FieldId::Summary, false, text(&case.summary, "")),
            field(
                FieldId::Background,
                false,
                text(
                    &case.background.join(", "),
                    &eg(lang, "한부모, 다문화", "single parent"),
                ),
            ),
            field(FieldId::Urgent, false, Input::Toggle(case.urgent)),
            field(FieldId::Safety, false, Input::Toggle(case.safety)),
            field(
                FieldId::Source,
                false,
                text(case.referral_source.as_deref().unwrap_or(""), ""),
            ),
            field(FieldId::Student, true, text(&case.student.name, "")),
            field(
                FieldId::Birth,
                false,
                text(&date(case.student.birth_on), ""),
            ),
            field(
                FieldId::Sex,
                false,
                choice(sex_options(lang), case.student.sex.map_or("", |s| s.code())),
            ),
        ],
    ))
}

/// A case's domains and sub-items as they are typed: the sub-items, and the domains that have
/// none.
fn domains_text(case: &crate::domain::Case) -> String {
    let mut words: Vec<&str> = case.concerns.iter().map(|c| c.ko()).collect();
    for d in &case.domains {
        if !case.concerns.iter().any(|c| c.domain() == *d) {
            words.push(d.ko());
        }
    }
    words.join(", ")
}

/// The items of a comma-separated field.
fn items(text: &str) -> Vec<String> {
    text.split([',', '，'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// The command a new-case form makes.
pub(super) fn new_case_command(r: &Reading) -> Result<Command, FormError> {
    let (domains, concerns) = parse_domains(&r.text(FieldId::Domains))?;
    Ok(Command::CreateCase {
        case: NewCase {
            student: Student {
                name: r.text(FieldId::Student),
                birth_on: r.past(FieldId::Birth)?,
                sex: Sex::parse(&r.code(FieldId::Sex)),
            },
            school: r.text(FieldId::School),
            grade: parse_grade(&r.text(FieldId::Grade))?,
            lead_team: r.team(FieldId::Lead)?,
            co_teams: r.teams(FieldId::CoTeams)?,
            level: Level::parse(&r.code(FieldId::Level)),
            domains,
            concerns,
            review_on: r.ahead(FieldId::Review)?,
            referral_source: r.optional(FieldId::Source),
            referred_on: None,
            lead_person: r.optional(FieldId::Person),
            summary: r.optional(FieldId::Summary),
            urgent: r.toggle(FieldId::Urgent),
            safety: r.toggle(FieldId::Safety),
            background: items(&r.text(FieldId::Background)),
            check_duplicates: !r.toggle(FieldId::AllowDuplicate),
        },
    })
}

/// The command an edit-case form makes: only what changed (`None`: nothing did).
pub(super) fn edit_case_command(
    r: &Reading,
    number: CaseNumber,
) -> Result<Option<Command>, FormError> {
    let Some(case) = r.state.cases.get(&number) else {
        return Err(DomainError::UnknownCase {
            input: number.to_string(),
        }
        .into());
    };
    let lead = r.team(FieldId::Lead)?;
    let co = r.teams(FieldId::CoTeams)?;
    let level = Level::parse(&r.code(FieldId::Level));
    let stage = Stage::parse(&r.code(FieldId::Stage));
    let review = r.ahead(FieldId::Review)?;
    let person = r.optional(FieldId::Person);
    let school = r.text(FieldId::School).trim().to_string();
    let grade = parse_grade(&r.text(FieldId::Grade))?;
    let (domains, concerns) = parse_domains(&r.text(FieldId::Domains))?;
    let summary = r.text(FieldId::Summary).trim().to_string();
    let background = crate::domain::state::background_items(&items(&r.text(FieldId::Background)))?;
    let source = r.optional(FieldId::Source).map(|s| s.trim().to_string());
    let name = r.text(FieldId::Student).trim().to_string();
    let birth = r.past(FieldId::Birth)?;
    let sex = Sex::parse(&r.code(FieldId::Sex));
    let urgent = r.toggle(FieldId::Urgent);
    let safety = r.toggle(FieldId::Safety);
    // Domains typed are compared with the case's after their sub-items' domains are added.
    let mut all_domains = domains.clone();
    for c in &concerns {
        if !all_domains.contains(&c.domain()) {
            all_domains.push(c.domain());
        }
    }
    all_domains.sort();
    all_domains.dedup();
    let domains_changed = all_domains != case.domains || concerns != case.concerns;
    let change = CaseUpdate {
        skip_stages: r.toggle(FieldId::SkipStages),
        student: (name != case.student.name).then_some(name),
        birth_on: (birth != case.student.birth_on).then_some(birth),
        sex: (sex != case.student.sex).then_some(sex),
        school: (school != case.school).then_some(school),
        grade: (grade != case.grade).then_some(grade),
        domains: domains_changed.then_some(domains),
        concerns: domains_changed.then_some(concerns),
        summary: (summary != case.summary).then_some(summary),
        background: (background != case.background).then_some(background),
        referral_source: (source != case.referral_source).then_some(source),
        urgent: (urgent != case.urgent).then_some(urgent),
        safety: (safety != case.safety).then_some(safety),
        lead_team: (lead != case.lead_team).then_some(lead),
        co_teams: (co != case.co_teams).then_some(co),
        level: level.filter(|l| *l != case.level),
        stage: stage.filter(|s| *s != case.stage),
        review_on: (review != case.review_on).then_some(review),
        lead_person: (person != case.lead_person).then_some(person),
        ..CaseUpdate::default()
    };
    let unchanged = CaseUpdate {
        skip_stages: false,
        ..change.clone()
    } == CaseUpdate::default();
    if unchanged {
        return Ok(None);
    }
    Ok(Some(Command::UpdateCase {
        case: number,
        change,
        conference: r.form.conference,
    }))
}
