//! Monthly statistics for the provincial office: cases opened and closed, open cases by level,
//! actions due and done on time, overdue by team, days from intake to the first conference.
//! Computed from the records and an injected month and today; pure, no IO, no clock.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use super::ids::{CaseNumber, TeamCode};
use super::model::{Action, Case, Conference, ConferenceState};
use super::vocab::{ActionStatus, DifficultyDomain, Level, Stage};
use crate::i18n::Lang;

/// The first day of the month written `YYYY-MM` (or `YYYY-M`).
pub fn parse_month(input: &str) -> Option<NaiveDate> {
    let (y, m) = input.trim().split_once(['-', '.', '/'])?;
    if y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// Cases counted one way: in total, by difficulty domain and by lead team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    /// Cases.
    pub total: usize,
    /// Per domain, every domain listed; a case with several domains counts under each, and
    /// one with none under `None`.
    pub by_domain: Vec<(Option<DifficultyDomain>, usize)>,
    /// Per lead team (as it is now), most first, teams with none left out.
    pub by_team: Vec<(TeamCode, usize)>,
}

impl Breakdown {
    fn of<'a>(cases: impl Iterator<Item = &'a Case>) -> Breakdown {
        let mut domains: BTreeMap<Option<DifficultyDomain>, usize> = DifficultyDomain::ALL
            .iter()
            .map(|d| (Some(*d), 0))
            .collect();
        let mut teams: BTreeMap<TeamCode, usize> = BTreeMap::new();
        let mut total = 0;
        for case in cases {
            total += 1;
            if case.domains.is_empty() {
                *domains.entry(None).or_insert(0) += 1;
            }
            for d in &case.domains {
                *domains.entry(Some(*d)).or_insert(0) += 1;
            }
            *teams.entry(case.lead_team.clone()).or_insert(0) += 1;
        }
        // Domains in form order, the "none" bucket last.
        let mut by_domain: Vec<_> = domains.into_iter().collect();
        by_domain.sort_by_key(|(d, _)| d.is_none());
        Breakdown {
            total,
            by_domain,
            by_team: most_first(teams),
        }
    }
}

fn most_first(counts: BTreeMap<TeamCode, usize>) -> Vec<(TeamCode, usize)> {
    let mut out: Vec<_> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Actions that fell due in the month (up to the day counted to), and how they went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ActionFigures {
    /// Not dropped, due in the month up to the day counted to.
    pub due: usize,
    /// Of those, done on or before their due date.
    pub done_on_time: usize,
    /// Done after their due date.
    pub done_late: usize,
    /// Not done (yet).
    pub not_done: usize,
    /// Dropped actions due in the month (not counted in `due`).
    pub dropped: usize,
}

impl ActionFigures {
    /// Done on time out of due, in percent, when any were due.
    pub fn on_time_percent(&self) -> Option<f64> {
        (self.due > 0).then(|| self.done_on_time as f64 * 100.0 / self.due as f64)
    }
}

/// Days from intake to the first case conference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DaysToConference {
    /// Cases whose first conference fell in the month.
    pub cases: usize,
    /// Their median of days from registration to the first conference.
    pub median: f64,
}

/// The month's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthStats {
    /// First day of the month.
    pub first: NaiveDate,
    /// Last day of the month.
    pub last: NaiveDate,
    /// The day states are counted at: the month's last day, or today while the month runs.
    pub as_of: NaiveDate,
    /// Cases registered in the month.
    pub opened: Breakdown,
    /// Cases closed (종결) in the month.
    pub closed: Breakdown,
    /// Cases open at `as_of`, by the level they had then (every level listed).
    pub open_by_level: Vec<(Level, usize)>,
    /// Actions due in the month.
    pub actions: ActionFigures,
    /// Actions overdue at `as_of`, by owner team, most first.
    pub overdue_by_team: Vec<(TeamCode, usize)>,
    /// Days from intake to the first conference, for cases whose first conference fell in the
    /// month; `None` when there were none.
    pub to_conference: Option<DaysToConference>,
    /// Referrals to outside agencies active in the month, by agency and where they stood at
    /// `as_of` (filled by [`MonthStats::count_referrals`], which knows which teams are outside).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<ReferralCount>,
    /// Sessions of recurring work planned in the month up to `as_of`: held and missed.
    pub sessions: SessionFigures,
}

/// Sessions of recurring work (weekly counselling, …) whose day fell in the month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SessionFigures {
    /// Recorded as held.
    pub held: usize,
    /// Recorded as missed.
    pub missed: usize,
    /// Not recorded (yet).
    pub unrecorded: usize,
}

/// How many referrals to one agency stood at one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralCount {
    /// The agency.
    pub team: TeamCode,
    /// Where they stood: a referral status, or `dropped` (취소) for one dropped without a
    /// decline.
    pub status: &'static str,
    /// How many.
    pub count: usize,
}

/// Where a referral stood at the end of `day`: its status code and its words.
fn referral_at(action: &Action, day: NaiveDate) -> (&'static str, &'static str, &'static str) {
    use super::vocab::ReferralStatus as R;
    let step = action
        .referral
        .iter()
        .rev()
        .find(|s| s.at.date_naive() <= day)
        .map_or(R::Requested, |s| s.status);
    let closed = action.closed_on.is_some_and(|c| c <= day);
    let status = match (closed, action.status) {
        (true, ActionStatus::Done) => R::Finished,
        (true, ActionStatus::Dropped) if step != R::Declined => {
            return ("dropped", "취소", "dropped");
        }
        (true, ActionStatus::Dropped) => R::Declined,
        _ => step,
    };
    (status.code(), status.ko(), status.en())
}

impl MonthStats {
    /// Counts the referrals (actions owned by a team `external` says is outside) asked for by
    /// the day counted to and not finished before the month began, by agency and status.
    pub fn count_referrals(&mut self, actions: &[Action], external: impl Fn(&TeamCode) -> bool) {
        let mut counts: BTreeMap<(TeamCode, &'static str), usize> = BTreeMap::new();
        for a in actions.iter().filter(|a| external(&a.team)) {
            if a.created_at.date_naive() > self.as_of || a.closed_on.is_some_and(|c| c < self.first)
            {
                continue;
            }
            let (code, _, _) = referral_at(a, self.as_of);
            *counts.entry((a.team.clone(), code)).or_insert(0) += 1;
        }
        self.referrals = counts
            .into_iter()
            .map(|((team, status), count)| ReferralCount {
                team,
                status,
                count,
            })
            .collect();
    }
}

/// The sessions whose day fell from `first` to `last`, by how they were recorded.
fn session_figures(actions: &[Action], first: NaiveDate, last: NaiveDate) -> SessionFigures {
    let mut out = SessionFigures::default();
    for s in actions
        .iter()
        .flat_map(|a| &a.sessions)
        .filter(|s| s.on >= first && s.on <= last)
    {
        match &s.mark {
            Some(m) if m.held => out.held += 1,
            Some(_) => out.missed += 1,
            None => out.unrecorded += 1,
        }
    }
    out
}

/// A status code of [`ReferralCount`] in words.
fn referral_word(code: &str, lang: Lang) -> &'static str {
    match super::vocab::ReferralStatus::parse(code) {
        Some(s) => s.label(lang),
        None => lang.pick("취소", "dropped"),
    }
}

/// The last value of a dated history on or before `day`.
fn at<T: Copy>(history: &[super::model::Change<T>], day: NaiveDate) -> Option<T> {
    history.iter().rev().find(|c| c.on <= day).map(|c| c.to)
}

/// The month's figures from every case and every action (done and dropped ones too).
///
/// A case's first conference is the first time it entered the 사례회의 stage.
pub fn month_stats<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    actions: &[Action],
    conferences: impl IntoIterator<Item = &'a Conference>,
    month: NaiveDate,
    today: NaiveDate,
) -> MonthStats {
    let first = month.with_day(1).unwrap_or(month);
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    let in_month = |d: NaiveDate| d >= first && d <= last;
    let as_of = last.min(today).max(first);
    // A case merged into another is the same student: it is counted once, as the kept case.
    let cases: Vec<&Case> = cases
        .into_iter()
        .filter(|c| c.merged_into.is_none())
        .collect();

    let opened = Breakdown::of(
        cases
            .iter()
            .copied()
            .filter(|c| in_month(c.opened_at.date_naive())),
    );
    let closed = Breakdown::of(cases.iter().copied().filter(|c| {
        c.stage_history
            .iter()
            .any(|s| s.to == Stage::Closed && in_month(s.on))
    }));

    let mut levels: BTreeMap<Level, usize> = Level::ALL.iter().map(|l| (*l, 0)).collect();
    for case in &cases {
        if case.opened_at.date_naive() > as_of {
            continue;
        }
        let open = at(&case.stage_history, as_of).is_some_and(Stage::is_open);
        if let (true, Some(level)) = (open, at(&case.level_history, as_of)) {
            *levels.entry(level).or_insert(0) += 1;
        }
    }

    let mut figures = ActionFigures::default();
    let mut overdue: BTreeMap<TeamCode, usize> = BTreeMap::new();
    for action in actions {
        let done_by = |day: NaiveDate| action.closed_on.is_some_and(|c| c <= day);
        if action.due_on >= first && action.due_on <= as_of {
            match action.status {
                ActionStatus::Dropped => figures.dropped += 1,
                ActionStatus::Done if done_by(action.due_on) => {
                    figures.due += 1;
                    figures.done_on_time += 1;
                }
                ActionStatus::Done => {
                    figures.due += 1;
                    figures.done_late += 1;
                }
                ActionStatus::Open => {
                    figures.due += 1;
                    figures.not_done += 1;
                }
            }
        }
        if action.due_on < as_of && action.created_at.date_naive() <= as_of && !done_by(as_of) {
            *overdue.entry(action.team.clone()).or_insert(0) += 1;
        }
    }

    // A case's first conference: the first one held (started) that had it on its agenda and did
    // not defer it; for a case no casedesk conference discussed, the day it first entered the
    // 사례회의 stage (a conference held before casedesk was used).
    let mut held: BTreeMap<CaseNumber, NaiveDate> = BTreeMap::new();
    for conf in conferences
        .into_iter()
        .filter(|c| c.state != ConferenceState::Planned)
    {
        for item in conf.agenda.iter().filter(|i| !i.deferred) {
            let day = held.entry(item.case).or_insert(conf.date);
            *day = (*day).min(conf.date);
        }
    }
    let mut days: Vec<i64> = cases
        .iter()
        .filter_map(|c| {
            let first = held.get(&c.number).copied().or_else(|| {
                c.stage_history
                    .iter()
                    .find(|s| s.to == Stage::Conference)
                    .map(|s| s.on)
            })?;
            in_month(first).then(|| (first - c.opened_at.date_naive()).num_days())
        })
        .collect();
    days.sort_unstable();
    let to_conference = (!days.is_empty()).then(|| {
        let n = days.len();
        let at = |i: usize| days.get(i).copied().unwrap_or_default() as f64;
        let median = if n % 2 == 1 {
            at(n / 2)
        } else {
            (at(n / 2 - 1) + at(n / 2)) / 2.0
        };
        DaysToConference { cases: n, median }
    });

    MonthStats {
        first,
        last,
        as_of,
        opened,
        closed,
        open_by_level: levels.into_iter().collect(),
        actions: figures,
        overdue_by_team: most_first(overdue),
        to_conference,
        referrals: Vec::new(),
        sessions: session_figures(actions, first, as_of),
    }
}

/// One figure of the report, for tables and CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Section, in the language asked.
    pub section: String,
    /// What is counted, in the language asked.
    pub item: String,
    /// The value.
    pub value: String,
}

/// The label of a domain bucket (`None`: cases with no domain).
pub fn domain_label(d: Option<DifficultyDomain>, lang: Lang) -> &'static str {
    match d {
        Some(d) => d.label(lang),
        None => lang.pick("영역 없음", "no domain"),
    }
}

impl MonthStats {
    /// Every figure in order, in `lang`: what the text and CSV reports list.
    pub fn figures(&self, lang: Lang) -> Vec<Figure> {
        let mut out = Vec::new();
        let mut push = |section: &str, item: &str, value: String| {
            out.push(Figure {
                section: section.to_string(),
                item: item.to_string(),
                value,
            });
        };
        for (breakdown, ko, en) in [
            (&self.opened, "접수", "opened"),
            (&self.closed, "종결", "closed"),
        ] {
            let by_domain = format!(
                "{} · {}",
                lang.pick(ko, en),
                lang.pick("영역별", "by domain")
            );
            let by_team = format!(
                "{} · {}",
                lang.pick(ko, en),
                lang.pick("주관부서별", "by lead team")
            );
            push(
                lang.pick(ko, en),
                lang.pick("전체", "total"),
                breakdown.total.to_string(),
            );
            for (d, n) in &breakdown.by_domain {
                push(&by_domain, domain_label(*d, lang), n.to_string());
            }
            for (t, n) in &breakdown.by_team {
                push(&by_team, t.as_str(), n.to_string());
            }
        }
        let level_section = lang.pick("진행 사례 · 위기 수준별", "open cases · by level");
        for (level, n) in &self.open_by_level {
            push(level_section, level.label(lang), n.to_string());
        }
        let a = &self.actions;
        let actions = lang.pick("조치 (이달 기한)", "actions due in the month");
        push(actions, lang.pick("기한 도래", "due"), a.due.to_string());
        push(
            actions,
            lang.pick("기한 내 완료", "done on time"),
            a.done_on_time.to_string(),
        );
        push(
            actions,
            lang.pick("기한 후 완료", "done late"),
            a.done_late.to_string(),
        );
        push(
            actions,
            lang.pick("미완료", "not done"),
            a.not_done.to_string(),
        );
        push(actions, lang.pick("취소", "dropped"), a.dropped.to_string());
        push(
            actions,
            lang.pick("기한 내 완료율", "on-time rate"),
            a.on_time_percent()
                .map_or_else(|| "-".to_string(), |p| format!("{p:.1}%")),
        );
        let overdue = lang.pick("기한초과 · 부서별", "overdue · by team");
        if self.overdue_by_team.is_empty() {
            push(overdue, lang.pick("없음", "none"), "0".into());
        }
        for (t, n) in &self.overdue_by_team {
            push(overdue, t.as_str(), n.to_string());
        }
        let referrals = lang.pick(
            "외부 기관 의뢰 · 기관·상태별",
            "referrals · by agency and status",
        );
        if self.referrals.is_empty() {
            push(referrals, lang.pick("없음", "none"), "0".into());
        }
        for r in &self.referrals {
            push(
                referrals,
                &format!("{} {}", r.team, referral_word(r.status, lang)),
                r.count.to_string(),
            );
        }
        let sessions = lang.pick("회기 (이달)", "sessions in the month");
        push(
            sessions,
            lang.pick("진행", "held"),
            self.sessions.held.to_string(),
        );
        push(
            sessions,
            lang.pick("결석", "missed"),
            self.sessions.missed.to_string(),
        );
        push(
            sessions,
            lang.pick("미기록", "not recorded"),
            self.sessions.unrecorded.to_string(),
        );
        let conf = lang.pick("접수→첫 사례회의", "intake to first conference");
        match &self.to_conference {
            Some(c) => {
                push(conf, lang.pick("사례 수", "cases"), c.cases.to_string());
                push(
                    conf,
                    lang.pick("중앙값(일)", "median days"),
                    format!("{:.1}", c.median),
                );
            }
            None => {
                push(conf, lang.pick("사례 수", "cases"), "0".into());
                push(conf, lang.pick("중앙값(일)", "median days"), "-".into());
            }
        }
        out
    }
}
