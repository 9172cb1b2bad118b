//! The records casedesk keeps — office, teams, cases, actions, notes, conferences, users — and
//! the default team list; plain data with small derived facts, no IO.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::ids::{ActionId, CaseNumber, TeamCode};
use super::vocab::{
    ActionStatus, Concern, ConferenceKind, ConsentGiver, ConsentKind, DifficultyDomain, Level,
    NoteKind, ReferralStatus, Role, Sex, Stage, TeamKind,
};
use crate::i18n::Lang;

/// The office the store belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    /// Name shown in headers and minutes (e.g. 광주동부교육지원청).
    pub name: String,
    /// True for a store filled with synthetic demo data.
    #[serde(default)]
    pub demo: bool,
}

/// The last case number given out in each year; numbers are never given out twice, even when
/// a registration is undone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Year → last number.
    pub cases: std::collections::BTreeMap<u16, u32>,
    /// The last conference number given out. Left out of the JSON while zero, so that a store
    /// written before conferences existed reads back the same.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub conferences: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A department of the office or an outside agency (부서/기관).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// Short code, e.g. `WEE`.
    pub code: TeamCode,
    /// Korean name.
    pub name_ko: String,
    /// English name.
    pub name_en: String,
    /// Internal department or external agency.
    pub kind: TeamKind,
    /// How to reach it (phone, e-mail, person).
    #[serde(default)]
    pub contact: Option<String>,
}

impl Team {
    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_ko, &self.name_en)
    }
}

/// The default team list from the glossary; an office edits its own.
pub fn default_teams() -> Vec<Team> {
    const TEAMS: &[(&str, &str, &str, TeamKind)] = &[
        (
            "CENTER",
            "학생맞춤통합지원센터",
            "Support centre",
            TeamKind::Internal,
        ),
        ("WELF", "교육복지", "Education welfare", TeamKind::Internal),
        (
            "WEE",
            "Wee센터",
            "Wee counselling centre",
            TeamKind::Internal,
        ),
        (
            "SPED",
            "특수교육지원센터",
            "Special education centre",
            TeamKind::Internal,
        ),
        (
            "ACAD",
            "기초학력지원센터",
            "Basic academics centre",
            TeamKind::Internal,
        ),
        (
            "SAFE",
            "학교폭력·생활교육",
            "School violence & conduct",
            TeamKind::Internal,
        ),
        (
            "MULTI",
            "다문화·탈북학생",
            "Multicultural & defector students",
            TeamKind::Internal,
        ),
        ("HEALTH", "보건", "Health", TeamKind::Internal),
        (
            "CPA",
            "아동보호전문기관",
            "Child protection agency",
            TeamKind::External,
        ),
        (
            "MHC",
            "정신건강복지센터",
            "Mental health centre",
            TeamKind::External,
        ),
        (
            "YCC",
            "청소년상담복지센터",
            "Youth counselling centre",
            TeamKind::External,
        ),
        (
            "CSC",
            "행정복지센터",
            "Community service centre",
            TeamKind::External,
        ),
        ("DREAM", "드림스타트", "Dream Start", TeamKind::External),
        (
            "POLICE",
            "경찰서 (학교전담경찰관)",
            "Police (school officer)",
            TeamKind::External,
        ),
    ];
    TEAMS
        .iter()
        .filter_map(|(code, ko, en, kind)| {
            Some(Team {
                code: TeamCode::new(code)?,
                name_ko: (*ko).to_string(),
                name_en: (*en).to_string(),
                kind: *kind,
                contact: None,
            })
        })
        .collect()
}

/// The student a case is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Student {
    /// Full name; masked on every list.
    pub name: String,
    /// Birth date, when known.
    #[serde(default)]
    pub birth_on: Option<NaiveDate>,
    /// Sex, when recorded.
    #[serde(default)]
    pub sex: Option<Sex>,
}

/// Grade and class within the school (학년·반).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// 1 to 6.
    pub year: u8,
    /// Class number, when known.
    #[serde(default)]
    pub class: Option<u16>,
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.class {
            Some(class) => write!(f, "{}-{}", self.year, class),
            None => write!(f, "{}", self.year),
        }
    }
}

/// A dated change of crisis level or stage, kept as history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change<T> {
    /// The day it changed.
    pub on: NaiveDate,
    /// The new value.
    pub to: T,
    /// Who changed it.
    pub by: String,
    /// Passed over on the way to a later stage (a jump forward that was confirmed).
    #[serde(default)]
    pub skipped: bool,
}

/// Guardian consent (보호자 동의): the consents given and withdrawn, one record each. A store
/// written before consent was recorded this way kept a day of consent to collection and a list
/// of agencies; those two fields still read and replay as they were, and count as consents
/// given by the guardian (see [`Consent::entries`]) until the first consent recorded the new way
/// moves them into the records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Day consent to collect and use the data was given, as recorded before consents were
    /// kept one record each.
    #[serde(default)]
    pub collection_on: Option<NaiveDate>,
    /// Agencies the guardian agreed the data may be shared with, as recorded before consents
    /// were kept one record each.
    #[serde(default)]
    pub third_party: Vec<TeamCode>,
    /// The consents given, oldest first; a withdrawn one stays with its day of withdrawal.
    #[serde(default)]
    pub records: Vec<ConsentRecord>,
}

/// One consent: to collect and use, or to share with a named agency; who gave it, when, and
/// when it was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    /// Collection and use, or sharing with `agency`.
    pub kind: ConsentKind,
    /// The agency it allows sharing with (sharing only).
    #[serde(default)]
    pub agency: Option<TeamCode>,
    /// The day it was given (unknown for a sharing consent recorded before dates were kept).
    #[serde(default)]
    pub given_on: Option<NaiveDate>,
    /// Who gave it.
    pub given_by: ConsentGiver,
    /// The day it was withdrawn, if it was.
    #[serde(default)]
    pub withdrawn_on: Option<NaiveDate>,
    /// The account that recorded it (empty for one carried over from the old fields).
    #[serde(default)]
    pub recorded_by: String,
}

impl ConsentRecord {
    /// True when it stands on `today`: given (by then) and not withdrawn (by then).
    pub fn valid_on(&self, today: NaiveDate) -> bool {
        self.given_on.is_none_or(|d| d <= today) && self.withdrawn_on.is_none_or(|d| d > today)
    }

    /// The record in words: `제3자 제공 CPA · 2026-11-28 · 보호자` and `· 철회 2026-12-01`.
    pub fn label(&self, lang: Lang) -> String {
        let mut out = self.kind.label(lang).to_string();
        if let Some(agency) = &self.agency {
            out.push(' ');
            out.push_str(agency.as_str());
        }
        out.push_str(" · ");
        out.push_str(&self.given_on.map_or("-".to_string(), |d| d.to_string()));
        out.push_str(" · ");
        out.push_str(self.given_by.label(lang));
        if let Some(d) = self.withdrawn_on {
            out.push_str(&format!(" · {} {d}", lang.pick("철회", "withdrawn")));
        }
        out
    }
}

impl Consent {
    /// Every consent, numbered from 1 in this order: those kept in the old two fields first
    /// (given by the guardian; sharing on the day of collection when it was recorded), then the
    /// records.
    pub fn entries(&self) -> Vec<ConsentRecord> {
        let mut out = Vec::new();
        if let Some(on) = self.collection_on {
            out.push(ConsentRecord {
                kind: ConsentKind::Collection,
                agency: None,
                given_on: Some(on),
                given_by: ConsentGiver::Guardian,
                withdrawn_on: None,
                recorded_by: String::new(),
            });
        }
        for agency in &self.third_party {
            out.push(ConsentRecord {
                kind: ConsentKind::Sharing,
                agency: Some(agency.clone()),
                given_on: self.collection_on,
                given_by: ConsentGiver::Guardian,
                withdrawn_on: None,
                recorded_by: String::new(),
            });
        }
        out.extend(self.records.iter().cloned());
        out
    }

    /// The same consents with the old two fields moved into the records (done before the
    /// first consent is recorded the new way, so that every consent has a number to withdraw).
    pub fn migrated(&self) -> Consent {
        Consent {
            collection_on: None,
            third_party: Vec::new(),
            records: self.entries(),
        }
    }

    /// The latest day of a consent to collect and use that was not withdrawn.
    pub fn standing_collection_on(&self) -> Option<NaiveDate> {
        self.entries()
            .iter()
            .filter(|r| r.kind == ConsentKind::Collection && r.withdrawn_on.is_none())
            .filter_map(|r| r.given_on)
            .max()
    }

    /// The agencies a consent to share with was given for and not withdrawn, each once.
    pub fn standing_agencies(&self) -> Vec<TeamCode> {
        let mut out: Vec<TeamCode> = Vec::new();
        for r in self.entries() {
            if let Some(agency) = r.agency.filter(|_| r.withdrawn_on.is_none())
                && !out.contains(&agency)
            {
                out.push(agency);
            }
        }
        out
    }

    /// True when a consent to share with `agency` stands on `today`.
    pub fn may_share_with(&self, agency: &TeamCode, today: NaiveDate) -> bool {
        self.entries().iter().any(|r| {
            r.kind == ConsentKind::Sharing && r.agency.as_ref() == Some(agency) && r.valid_on(today)
        })
    }

    /// True when a consent to collect and use stands on `today`.
    pub fn collection_valid(&self, today: NaiveDate) -> bool {
        self.entries()
            .iter()
            .any(|r| r.kind == ConsentKind::Collection && r.valid_on(today))
    }
}

/// A case (사례): one student, one lead team, the teams that cooperate, and its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// `YYYY-NNNN`.
    pub number: CaseNumber,
    /// The student.
    pub student: Student,
    /// School name.
    pub school: String,
    /// Grade and class.
    pub grade: Grade,
    /// Difficulty domains.
    pub domains: Vec<DifficultyDomain>,
    /// Sub-items of the domains.
    #[serde(default)]
    pub concerns: Vec<Concern>,
    /// Current crisis level.
    pub level: Level,
    /// Every level the case has had, oldest first (the current one last).
    pub level_history: Vec<Change<Level>>,
    /// Current stage.
    pub stage: Stage,
    /// Every stage the case has been in, oldest first.
    pub stage_history: Vec<Change<Stage>>,
    /// The team that leads the case (주관부서).
    pub lead_team: TeamCode,
    /// Person in charge in the lead team.
    #[serde(default)]
    pub lead_person: Option<String>,
    /// Cooperating teams and agencies (협력부서).
    pub co_teams: Vec<TeamCode>,
    /// Who referred the student (school, person), when recorded.
    #[serde(default)]
    pub referral_source: Option<String>,
    /// Day of referral.
    pub referred_on: NaiveDate,
    /// Next review date (다음 점검일).
    #[serde(default)]
    pub review_on: Option<NaiveDate>,
    /// Guardian consent.
    #[serde(default)]
    pub consent: Consent,
    /// Needs attention now.
    #[serde(default)]
    pub urgent: bool,
    /// A safety concern (abuse, self-harm, violence).
    #[serde(default)]
    pub safety: bool,
    /// Short summary.
    #[serde(default)]
    pub summary: String,
    /// Background items from the application form (기초생활수급자, 법정차상위, 한부모, 조부모,
    /// 다문화, 북한이탈주민, …), by their Korean names.
    #[serde(default)]
    pub background: Vec<String>,
    /// The case this one was merged into; it stays only as a pointer.
    #[serde(default)]
    pub merged_into: Option<CaseNumber>,
    /// When it was registered.
    pub opened_at: DateTime<FixedOffset>,
    /// Who registered it.
    pub opened_by: String,
    /// Day it was closed, while closed.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    /// Number of actions it has had (the next one gets this plus one).
    pub actions_made: u32,
    /// Number of notes it has had.
    pub notes_made: u32,
}

impl Case {
    /// True while the case is worked on: not closed (종결), not in aftercare (사후관리), and not
    /// merged into another case.
    pub fn is_open(&self) -> bool {
        self.stage.is_open() && self.merged_into.is_none()
    }

    /// Its difficulty domains with their sub-items, for display: `심리·정서(우울, 불안)`.
    pub fn domain_labels(&self, lang: Lang) -> Vec<String> {
        self.domains
            .iter()
            .map(|d| {
                let subs: Vec<&str> = self
                    .concerns
                    .iter()
                    .filter(|c| c.domain() == *d)
                    .map(|c| c.label(lang))
                    .collect();
                if subs.is_empty() {
                    d.label(lang).to_string()
                } else {
                    format!("{}({})", d.label(lang), subs.join(", "))
                }
            })
            .collect()
    }

    /// Guardian consent in words, the standing consents only: `수집·이용 2026-11-28 · 제3자 제공
    /// CPA, MHC`, or not recorded.
    pub fn consent_label(&self, lang: Lang) -> String {
        let entries = self.consent.entries();
        if entries.is_empty() {
            return lang.pick("기록 없음", "not recorded").to_string();
        }
        // What stands as of the last day anything was recorded (rendering has no clock).
        let standing = |r: &&ConsentRecord| r.withdrawn_on.is_none();
        let collection: Vec<String> = entries
            .iter()
            .filter(standing)
            .filter(|r| r.kind == ConsentKind::Collection)
            .map(|r| r.given_on.map_or("-".to_string(), |d| d.to_string()))
            .collect();
        let shared: Vec<String> = entries
            .iter()
            .filter(standing)
            .filter_map(|r| r.agency.as_ref().map(ToString::to_string))
            .collect();
        let withdrawn = entries.iter().filter(|r| r.withdrawn_on.is_some()).count();
        let mut out = format!(
            "{} {} · {} {}",
            lang.pick("수집·이용", "collection/use"),
            if collection.is_empty() {
                "-".to_string()
            } else {
                collection.join(", ")
            },
            lang.pick("제3자 제공", "third party"),
            if shared.is_empty() {
                "-".into()
            } else {
                shared.join(", ")
            }
        );
        if withdrawn > 0 {
            out.push_str(&format!(
                " · {} {withdrawn}",
                lang.pick("철회", "withdrawn")
            ));
        }
        out
    }

    /// True when `team` leads or cooperates on the case.
    pub fn involves(&self, team: &TeamCode) -> bool {
        &self.lead_team == team || self.co_teams.contains(team)
    }
}

/// An agreed action (조치사항).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// `CASE/N`.
    pub id: ActionId,
    /// What is to be done.
    pub title: String,
    /// The team that owns it; an external team makes it a referral (연계).
    pub team: TeamCode,
    /// The person who does it, when named.
    #[serde(default)]
    pub person: Option<String>,
    /// Due date.
    pub due_on: NaiveDate,
    /// Open, done or dropped.
    pub status: ActionStatus,
    /// Day it was done or dropped.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    /// Result (when done) or reason (when dropped).
    #[serde(default)]
    pub result: Option<String>,
    /// The account that marked it done or dropped it.
    #[serde(default)]
    pub closed_by: Option<String>,
    /// When it was agreed.
    pub created_at: DateTime<FixedOffset>,
    /// Who recorded it.
    pub created_by: String,
    /// The conference that agreed it, if one did.
    #[serde(default)]
    pub conference: Option<u32>,
    /// Progress recorded while it is open (경과), oldest first. Always written: the record
    /// cache's compact form cannot read back a field left out.
    #[serde(default)]
    pub progress: Vec<Progress>,
    /// For an action owned by an outside agency (a referral, 연계): each change of its status,
    /// oldest first; none yet means requested when it was created.
    #[serde(default)]
    pub referral: Vec<ReferralStep>,
    /// For recurring work (weekly counselling, 8 sessions): its sessions in date order. The
    /// due date is the first session not held; it finishes once every session is recorded.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// Why it went to an outside agency without a standing consent to share with it (a
    /// safety emergency, say), when it did.
    #[serde(default)]
    pub without_consent: Option<String>,
}

/// One session of a recurring action, and whether it was held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The day it is planned.
    pub on: NaiveDate,
    /// Held or missed, once recorded.
    #[serde(default)]
    pub mark: Option<SessionMark>,
}

/// A session recorded as held or missed, with when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionMark {
    /// True when it was held, false when it was missed.
    pub held: bool,
    /// When it was recorded.
    pub at: DateTime<FixedOffset>,
    /// Who recorded it.
    pub by: String,
}

/// A dated change of a referral's status, with who recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralStep {
    /// When it was recorded.
    pub at: DateTime<FixedOffset>,
    /// Who recorded it.
    pub by: String,
    /// The new status.
    pub status: ReferralStatus,
    /// Why (a decline's reason, or a note).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A dated word of progress on an open action: what happened so far, and who recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// When it was recorded.
    pub at: DateTime<FixedOffset>,
    /// Who recorded it.
    pub by: String,
    /// What happened.
    pub text: String,
}

impl Action {
    /// Where it stands as a referral: its last recorded status, or requested.
    pub fn referral_status(&self) -> ReferralStatus {
        self.referral
            .last()
            .map_or(ReferralStatus::Requested, |s| s.status)
    }

    /// The day the referral was (last) asked for: the last `requested` step, else the day the
    /// action was created.
    pub fn requested_on(&self) -> NaiveDate {
        self.referral
            .iter()
            .rev()
            .find(|s| s.status == ReferralStatus::Requested)
            .map_or(self.created_at.date_naive(), |s| s.at.date_naive())
    }

    /// Sessions held, missed, and planned (not recorded yet).
    pub fn session_counts(&self) -> (usize, usize, usize) {
        let held = self
            .sessions
            .iter()
            .filter(|s| s.mark.as_ref().is_some_and(|m| m.held))
            .count();
        let missed = self
            .sessions
            .iter()
            .filter(|s| s.mark.as_ref().is_some_and(|m| !m.held))
            .count();
        (held, missed, self.sessions.len() - held - missed)
    }

    /// The sessions in words: `회기 3/8 진행 · 결석 1 · 다음 12-08`; `None` for one-off work.
    pub fn sessions_line(&self, lang: Lang) -> Option<String> {
        if self.sessions.is_empty() {
            return None;
        }
        let (held, missed, _) = self.session_counts();
        let mut line = match lang {
            Lang::Ko => format!("회기 {held}/{} 진행", self.sessions.len()),
            Lang::En => format!("sessions {held}/{} held", self.sessions.len()),
        };
        if missed > 0 {
            line.push_str(&match lang {
                Lang::Ko => format!(" · 결석 {missed}"),
                Lang::En => format!(" · {missed} missed"),
            });
        }
        if let Some(next) = self.sessions.iter().find(|s| s.mark.is_none()) {
            line.push_str(&format!(
                " · {} {}",
                lang.pick("다음", "next"),
                next.on.format("%m-%d")
            ));
        }
        Some(line)
    }

    /// The latest progress recorded on it, if any.
    pub fn latest_progress(&self) -> Option<&Progress> {
        self.progress.last()
    }

    /// How it ended, in words: `완료 2026-12-01 · wee.han · 보호자 동의서 수령`; `None` while
    /// open. The result text is given as the caller may show it (masked or not).
    pub fn outcome_line(&self, result: Option<&str>, lang: Lang) -> Option<String> {
        if self.is_open() {
            return None;
        }
        let mut parts = vec![format!(
            "{}{}",
            self.status.label(lang),
            self.closed_on.map(|d| format!(" {d}")).unwrap_or_default()
        )];
        if let Some(by) = &self.closed_by {
            parts.push(by.clone());
        }
        if let Some(text) = result.filter(|t| !t.is_empty()) {
            parts.push(text.to_string());
        }
        Some(parts.join(" · "))
    }

    /// The line shown under it in a list: its result once finished (`결과: …`, `사유: …`), or
    /// its latest progress while open (`경과 12-03 wee.han: …`). `shown` gives free text as the
    /// list may show it (masked or not).
    pub fn follow_line(&self, lang: Lang, shown: impl Fn(&str) -> String) -> Option<String> {
        if let Some(sessions) = self.sessions_line(lang) {
            let rest = Action {
                sessions: Vec::new(),
                ..self.clone()
            }
            .follow_line(lang, shown);
            return Some(match rest {
                Some(rest) => format!("{sessions} · {rest}"),
                None => sessions,
            });
        }
        if self.is_open() {
            let step = self.referral.last();
            match (self.latest_progress(), step) {
                (Some(p), Some(s)) if p.at >= s.at => self.progress_line(&shown(&p.text), lang),
                (_, Some(s)) => Some(format!(
                    "{} {} {} {}{}",
                    lang.pick("의뢰", "referral"),
                    s.status.label(lang),
                    s.at.format("%m-%d"),
                    s.by,
                    s.reason
                        .as_deref()
                        .map(|r| format!(": {}", shown(r)))
                        .unwrap_or_default()
                )),
                (Some(p), None) => self.progress_line(&shown(&p.text), lang),
                (None, None) => None,
            }
        } else {
            let result = self.result.as_deref().filter(|r| !r.is_empty())?;
            let word = match self.status {
                ActionStatus::Dropped => lang.pick("사유", "reason"),
                _ => lang.pick("결과", "result"),
            };
            Some(format!("{word}: {}", shown(result)))
        }
    }

    /// Its latest progress in words: `경과 12-03 wee.han: 1회기 진행`.
    pub fn progress_line(&self, text: &str, lang: Lang) -> Option<String> {
        let p = self.latest_progress()?;
        Some(format!(
            "{} {} {}: {text}",
            lang.pick("경과", "progress"),
            p.at.format("%m-%d"),
            p.by
        ))
    }

    /// True while it is still to be done.
    pub fn is_open(&self) -> bool {
        self.status == ActionStatus::Open
    }

    /// True when it is open and its due date has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due_on < today
    }
}

/// A dated entry on a case's timeline (기록).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The case.
    pub case: CaseNumber,
    /// Running number within the case.
    pub n: u32,
    /// When it was written.
    pub at: DateTime<FixedOffset>,
    /// Who wrote it.
    pub author: String,
    /// What kind of entry.
    pub kind: NoteKind,
    /// The text.
    pub text: String,
    /// Abuse, sexual violence or self-harm details: only the lead team and coordinators see it.
    #[serde(default)]
    pub restricted: bool,
}

/// Where a conference is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConferenceState {
    /// Being prepared.
    Planned,
    /// Under way.
    Running,
    /// Over; read-only, corrections are amendments.
    Closed,
}

impl ConferenceState {
    /// True when moving to `next` follows planned → running → closed.
    pub fn can_move_to(self, next: ConferenceState) -> bool {
        matches!(
            (self, next),
            (ConferenceState::Planned, ConferenceState::Running)
                | (ConferenceState::Running, ConferenceState::Closed)
        )
    }

    /// The state in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ConferenceState::Planned => lang.pick("준비 중", "planned"),
            ConferenceState::Running => lang.pick("진행 중", "running"),
            ConferenceState::Closed => lang.pick("종료", "closed"),
        }
    }
}

/// What someone at a conference is there as: for a team or agency, or as school staff, the
/// guardian, the student or an interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendeeRole {
    /// For a team or agency (its 담당자).
    #[default]
    Team,
    /// The homeroom teacher (담임교사).
    Homeroom,
    /// The principal (교장).
    Principal,
    /// The vice principal (교감).
    VicePrincipal,
    /// The school counsellor (전문상담교사).
    Counselor,
    /// The school nurse (보건교사).
    SchoolNurse,
    /// The school's education-welfare worker (교육복지사).
    WelfareWorker,
    /// Other school staff (교직원).
    SchoolStaff,
    /// The guardian (보호자).
    Guardian,
    /// The student (학생).
    Student,
    /// An interpreter (통역).
    Interpreter,
    /// Anyone else.
    Other,
}

impl AttendeeRole {
    /// Every role, in the order the attendance and the minutes list them.
    pub const ALL: [AttendeeRole; 12] = [
        AttendeeRole::Team,
        AttendeeRole::Homeroom,
        AttendeeRole::Principal,
        AttendeeRole::VicePrincipal,
        AttendeeRole::Counselor,
        AttendeeRole::SchoolNurse,
        AttendeeRole::WelfareWorker,
        AttendeeRole::SchoolStaff,
        AttendeeRole::Guardian,
        AttendeeRole::Student,
        AttendeeRole::Interpreter,
        AttendeeRole::Other,
    ];

    /// The role in words.
    pub fn label(self, lang: Lang) -> &'static str {
        let (ko, en) = match self {
            AttendeeRole::Team => ("부서·기관", "team or agency"),
            AttendeeRole::Homeroom => ("담임", "homeroom teacher"),
            AttendeeRole::Principal => ("교장", "principal"),
            AttendeeRole::VicePrincipal => ("교감", "vice principal"),
            AttendeeRole::Counselor => ("상담교사", "school counsellor"),
            AttendeeRole::SchoolNurse => ("보건교사", "school nurse"),
            AttendeeRole::WelfareWorker => ("교육복지사", "welfare worker"),
            AttendeeRole::SchoolStaff => ("교직원", "school staff"),
            AttendeeRole::Guardian => ("보호자", "guardian"),
            AttendeeRole::Student => ("학생", "student"),
            AttendeeRole::Interpreter => ("통역", "interpreter"),
            AttendeeRole::Other => ("기타", "other"),
        };
        lang.pick(ko, en)
    }

    /// The snake_case code used in JSON and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            AttendeeRole::Team => "team",
            AttendeeRole::Homeroom => "homeroom",
            AttendeeRole::Principal => "principal",
            AttendeeRole::VicePrincipal => "vice_principal",
            AttendeeRole::Counselor => "counselor",
            AttendeeRole::SchoolNurse => "school_nurse",
            AttendeeRole::WelfareWorker => "welfare_worker",
            AttendeeRole::SchoolStaff => "school_staff",
            AttendeeRole::Guardian => "guardian",
            AttendeeRole::Student => "student",
            AttendeeRole::Interpreter => "interpreter",
            AttendeeRole::Other => "other",
        }
    }

    /// The role for a code or a word in either language (`homeroom`, `담임`).
    pub fn parse(text: &str) -> Option<AttendeeRole> {
        let t = text.trim().to_lowercase();
        AttendeeRole::ALL
            .into_iter()
            .find(|r| r.code() == t || r.label(Lang::Ko) == t || r.label(Lang::En) == t)
    }

    /// True when the role needs a team or agency to say who they came for.
    pub fn needs_team(self) -> bool {
        self == AttendeeRole::Team
    }
}

/// Whether someone was at the conference, and for all of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Not there (the default until the coordinator marks them).
    #[default]
    Absent,
    /// There from start to end.
    Present,
    /// Came late.
    Late,
    /// Left before the end.
    LeftEarly,
}

impl Presence {
    /// Present when absent, absent otherwise (the attendance's one key).
    pub fn toggled(self) -> Presence {
        match self {
            Presence::Absent => Presence::Present,
            _ => Presence::Absent,
        }
    }

    /// Present → late → left early → present (absent stays absent: mark them present first).
    pub fn timing(self) -> Presence {
        match self {
            Presence::Absent => Presence::Absent,
            Presence::Present => Presence::Late,
            Presence::Late => Presence::LeftEarly,
            Presence::LeftEarly => Presence::Present,
        }
    }

    /// True when they were there for some of it.
    pub fn attended(self) -> bool {
        self != Presence::Absent
    }

    /// In words.
    pub fn label(self, lang: Lang) -> &'static str {
        let (ko, en) = match self {
            Presence::Absent => ("불참", "absent"),
            Presence::Present => ("참석", "present"),
            Presence::Late => ("지각", "late"),
            Presence::LeftEarly => ("조퇴", "left early"),
        };
        lang.pick(ko, en)
    }

    /// The snake_case code used in JSON and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Presence::Absent => "absent",
            Presence::Present => "present",
            Presence::Late => "late",
            Presence::LeftEarly => "left_early",
        }
    }
}

/// Someone at a conference: for a team or agency, or as school staff, the guardian, the
/// student or an interpreter; with a name when given and whether they were there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "AttendeeRecord")]
pub struct Attendee {
    /// The team or agency they came for (none for the guardian, the student, …).
    pub team: Option<TeamCode>,
    /// Their name, when given.
    pub person: Option<String>,
    /// What they are there as.
    pub role: AttendeeRole,
    /// Present, absent, late or left early.
    pub status: Presence,
}

impl Attendee {
    /// Someone for `team`, absent until marked.
    pub fn for_team(team: TeamCode) -> Attendee {
        Attendee {
            team: Some(team),
            person: None,
            role: AttendeeRole::Team,
            status: Presence::Absent,
        }
    }

    /// True when they were there for some of the conference.
    pub fn present(&self) -> bool {
        self.status.attended()
    }
}

/// An attendee as stored: older records say only `present`, newer ones the `status`.
#[derive(Deserialize)]
struct AttendeeRecord {
    #[serde(default)]
    team: Option<TeamCode>,
    #[serde(default)]
    person: Option<String>,
    #[serde(default)]
    role: AttendeeRole,
    #[serde(default)]
    status: Option<Presence>,
    #[serde(default)]
    present: bool,
}

impl From<AttendeeRecord> for Attendee {
    fn from(r: AttendeeRecord) -> Attendee {
        Attendee {
            team: r.team,
            person: r.person,
            role: r.role,
            status: r.status.unwrap_or(if r.present {
                Presence::Present
            } else {
                Presence::Absent
            }),
        }
    }
}

/// When the next conference is to be held, as this one agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextMeeting {
    /// The day.
    pub date: NaiveDate,
    /// The time, when agreed.
    #[serde(default)]
    pub time: Option<NaiveTime>,
}

/// How long a conference runs unless the coordinator says otherwise.
pub fn default_length() -> u16 {
    crate::domain::limits::DEFAULT_CONFERENCE_MINUTES
}

/// Why a case was put on a conference's agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgendaReason {
    /// It is at 고위기.
    HighCrisis,
    /// It has actions overdue by the conference day.
    OverdueActions,
    /// A referral to an outside agency has had no answer in the days the office gives.
    ReferralUnanswered,
    /// Its stage is 사례회의: sent to the conference.
    SentToConference,
    /// Its review date falls on or before the conference.
    ReviewDue,
    /// Deferred from the last conference.
    Deferred,
    /// Registered since the last conference.
    NewIntake,
    /// Added by the coordinator.
    Added,
}

impl AgendaReason {
    /// Every reason, most pressing first (the agenda's proposed order).
    pub const ALL: [AgendaReason; 8] = [
        AgendaReason::HighCrisis,
        AgendaReason::OverdueActions,
        AgendaReason::ReferralUnanswered,
        AgendaReason::SentToConference,
        AgendaReason::ReviewDue,
        AgendaReason::Deferred,
        AgendaReason::NewIntake,
        AgendaReason::Added,
    ];

    /// The reason in words.
    pub fn label(self, lang: Lang) -> &'static str {
        let (ko, en) = match self {
            AgendaReason::HighCrisis => ("고위기", "high crisis"),
            AgendaReason::OverdueActions => ("기한초과 조치", "overdue actions"),
            AgendaReason::ReferralUnanswered => ("의뢰 응답 없음", "referral unanswered"),
            AgendaReason::SentToConference => ("사례회의 단계", "sent to conference"),
            AgendaReason::ReviewDue => ("점검일 도래", "review due"),
            AgendaReason::Deferred => ("지난 회의에서 보류", "deferred last time"),
            AgendaReason::NewIntake => ("신규 접수", "new intake"),
            AgendaReason::Added => ("추가", "added"),
        };
        lang.pick(ko, en)
    }

    /// The snake_case code used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            AgendaReason::HighCrisis => "high_crisis",
            AgendaReason::OverdueActions => "overdue_actions",
            AgendaReason::ReferralUnanswered => "referral_unanswered",
            AgendaReason::SentToConference => "sent_to_conference",
            AgendaReason::ReviewDue => "review_due",
            AgendaReason::Deferred => "deferred",
            AgendaReason::NewIntake => "new_intake",
            AgendaReason::Added => "added",
        }
    }
}

/// A change to a case made during a conference, kept with the agenda item for the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum ItemChange {
    /// Crisis level.
    Level {
        /// Before.
        from: Level,
        /// After.
        to: Level,
    },
    /// Stage.
    Stage {
        /// Before.
        from: Stage,
        /// After.
        to: Stage,
    },
    /// Next review date.
    Review {
        /// Before.
        from: Option<NaiveDate>,
        /// After.
        to: Option<NaiveDate>,
    },
}

impl ItemChange {
    /// The change in words: `위기 수준: 주의 → 위기`, `다음 점검일: 2026-12-12 (토) (유지)`.
    pub fn describe(&self, lang: Lang) -> String {
        let what = match self {
            ItemChange::Level { .. } => lang.pick("위기 수준", "Crisis level"),
            ItemChange::Stage { .. } => lang.pick("단계", "Stage"),
            ItemChange::Review { .. } => lang.pick("다음 점검일", "Next review"),
        };
        format!("{what}: {}", self.values(lang))
    }

    /// The change without saying what changed: `주의 → 위기`, `2026-12-12 (토) (유지)`.
    pub fn values(&self, lang: Lang) -> String {
        let date = |d: &Option<NaiveDate>| d.map_or("-".to_string(), |d| crate::i18n::day(d, lang));
        match self {
            ItemChange::Level { from, to } => format!("{} → {}", from.label(lang), to.label(lang)),
            ItemChange::Stage { from, to } => format!("{} → {}", from.label(lang), to.label(lang)),
            ItemChange::Review { from, to } if from == to => {
                format!("{} ({})", date(to), lang.pick("유지", "kept"))
            }
            ItemChange::Review { from, to } => format!("{} → {}", date(from), date(to)),
        }
    }
}

/// One case on a conference's agenda, with what the conference did about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// The case.
    pub case: CaseNumber,
    /// Why it is on the agenda.
    pub reasons: Vec<AgendaReason>,
    /// Minutes set aside for it.
    pub budget_minutes: u16,
    /// Seconds spent on it so far.
    #[serde(default)]
    pub used_seconds: u32,
    /// Decisions recorded for it (결정사항), in order.
    #[serde(default)]
    pub decisions: Vec<String>,
    /// Actions agreed for it.
    #[serde(default)]
    pub actions: Vec<ActionId>,
    /// Changes to the case's level, stage and review date.
    #[serde(default)]
    pub changes: Vec<ItemChange>,
    /// Deferred to the next conference.
    #[serde(default)]
    pub deferred: bool,
}

impl AgendaItem {
    /// True once the conference recorded anything about it or spent time on it.
    pub fn touched(&self) -> bool {
        self.used_seconds > 0
            || !self.decisions.is_empty()
            || !self.actions.is_empty()
            || !self.changes.is_empty()
            || self.deferred
    }

    /// Why it is on the agenda, in words: `고위기, 기한초과 조치`.
    pub fn reasons_label(&self, lang: Lang) -> String {
        self.reasons
            .iter()
            .map(|r| r.label(lang))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The review date the conference set, if it set one.
    pub fn review_set(&self) -> Option<NaiveDate> {
        self.changes.iter().rev().find_map(|c| match c {
            ItemChange::Review { to, .. } => *to,
            _ => None,
        })
    }
}

/// A correction to a closed conference's record: added, never edited in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    /// When it was recorded.
    pub at: DateTime<FixedOffset>,
    /// Who recorded it.
    pub by: String,
    /// The agenda item it is about, if one.
    #[serde(default)]
    pub case: Option<CaseNumber>,
    /// The correction.
    pub text: String,
}

/// A case conference (사례회의).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conference {
    /// Running number.
    pub id: u32,
    /// Day it is held.
    pub date: NaiveDate,
    /// Title.
    pub title: String,
    /// Regular, ad hoc or urgent.
    pub kind: ConferenceKind,
    /// Who runs it.
    pub facilitator: String,
    /// Who came and who did not.
    pub attendees: Vec<Attendee>,
    /// How long it is to run, in minutes: the agenda is proposed to fit it.
    #[serde(default = "default_length")]
    pub length_minutes: u16,
    /// Where it is held.
    #[serde(default)]
    pub place: Option<String>,
    /// When it starts, when set.
    #[serde(default)]
    pub time: Option<NaiveTime>,
    /// When the next one is to be held, as agreed here.
    #[serde(default)]
    pub next: Option<NextMeeting>,
    /// The cases, in order.
    pub agenda: Vec<AgendaItem>,
    /// Planned, running or closed.
    pub state: ConferenceState,
    /// The agenda item under discussion (an index into `agenda`) while it runs.
    #[serde(default)]
    pub current: usize,
    /// Since when the current item's clock runs; `None` while the clock is stopped.
    #[serde(default)]
    pub clock_since: Option<DateTime<FixedOffset>>,
    /// When anything was last recorded in it.
    pub touched_at: DateTime<FixedOffset>,
    /// When it was prepared.
    pub created_at: DateTime<FixedOffset>,
    /// Who prepared it.
    pub created_by: String,
    /// When it started.
    #[serde(default)]
    pub started_at: Option<DateTime<FixedOffset>>,
    /// When it closed.
    #[serde(default)]
    pub closed_at: Option<DateTime<FixedOffset>>,
    /// Corrections recorded after it closed.
    #[serde(default)]
    pub amendments: Vec<Amendment>,
}

impl Conference {
    /// The agenda item for `case`, with its index.
    pub fn item(&self, case: CaseNumber) -> Option<(usize, &AgendaItem)> {
        self.agenda.iter().enumerate().find(|(_, i)| i.case == case)
    }

    /// The item under discussion while it runs.
    pub fn current_item(&self) -> Option<&AgendaItem> {
        match self.state {
            ConferenceState::Running => self.agenda.get(self.current),
            _ => None,
        }
    }

    /// Seconds spent on item `index` by `now`: what was banked plus the running clock.
    pub fn used_seconds(&self, index: usize, now: DateTime<FixedOffset>) -> u32 {
        let banked = self.agenda.get(index).map_or(0, |i| i.used_seconds);
        match self.clock_since {
            Some(since) if index == self.current && self.state == ConferenceState::Running => {
                let running = (now - since).num_seconds().clamp(0, i64::from(u32::MAX));
                banked.saturating_add(u32::try_from(running).unwrap_or(u32::MAX))
            }
            _ => banked,
        }
    }

    /// Seconds spent on every item by `now`.
    pub fn total_seconds(&self, now: DateTime<FixedOffset>) -> u64 {
        (0..self.agenda.len())
            .map(|i| u64::from(self.used_seconds(i, now)))
            .sum()
    }

    /// Minutes set aside for every item.
    pub fn budget_minutes(&self) -> u32 {
        self.agenda
            .iter()
            .map(|i| u32::from(i.budget_minutes))
            .sum()
    }
}

/// A person who uses casedesk: their operating-system account and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Operating-system account name.
    pub account: String,
    /// What they may do.
    pub role: Role,
    /// The teams they belong to.
    #[serde(default)]
    pub teams: Vec<TeamCode>,
    /// Their name as colleagues know it, when given.
    #[serde(default)]
    pub name: Option<String>,
}
