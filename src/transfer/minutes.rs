//! A conference's minutes (회의록) as Markdown, printable A4 HTML and one CSV per team, and the
//! per-team recap the closing screen shows; built from the records. Pure: no IO, no clock.

use std::collections::BTreeMap;

use crate::domain::model::{AgendaItem, ConferenceState, ItemChange};
use crate::domain::recap::{TeamRecap, outcome, team_recap};
use crate::domain::{Action, ActionId, CaseNumber, Conference, State, TeamCode};
use crate::i18n::{Lang, day};
use crate::transfer::sheet::spreadsheet_safe;

/// What the minutes are made from besides the conference: the records, the actions it agreed
/// (finished ones too), the language, and whether names may be shown.
pub struct Source<'a> {
    /// The records.
    pub state: &'a State,
    /// The conference.
    pub conference: &'a Conference,
    /// Every action the conference agreed, by id (read from the store: some may be done).
    pub actions: &'a BTreeMap<ActionId, Action>,
    /// Language.
    pub lang: Lang,
    /// Show students' full names (only when the user asked).
    pub unmasked: bool,
    /// The journal's position and head hash when the minutes were made: printed on them, it
    /// proves later (`casedesk check --anchor SEQ:HASH`) that the record up to then is unchanged.
    pub anchor: Option<(u64, String)>,
}

impl Source<'_> {
    fn pick<'s>(&self, ko: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(ko, en)
    }

    fn student(&self, case: CaseNumber) -> String {
        self.state.student_label(case, !self.unmasked)
    }

    fn team(&self, code: &TeamCode) -> String {
        match self.state.team(code) {
            Some(t) => format!("{} {}", t.code, t.name(self.lang)),
            None => code.to_string(),
        }
    }

    /// Free text about `case` (a decision, an action's title, a correction) with the student's
    /// name masked in it unless names may be shown.
    fn free(&self, case: Option<CaseNumber>, text: &str) -> String {
        self.state.case_text(case, text, !self.unmasked)
    }

    fn item_actions<'s>(&'s self, item: &'s AgendaItem) -> impl Iterator<Item = &'s Action> + 's {
        item.actions.iter().filter_map(|id| self.actions.get(id))
    }

    /// Each team's agreed actions, the teams in code order.
    pub fn recap(&self) -> Vec<TeamRecap> {
        team_recap(
            self.state,
            self.conference,
            self.actions,
            !self.unmasked,
            self.lang,
        )
    }

    /// The anchor line printed at the end of the minutes, if there is an anchor.
    fn anchor_line(&self) -> Option<String> {
        let (seq, hash) = self.anchor.as_ref()?;
        Some(match self.lang {
            Lang::Ko => format!(
                "저널 기준점 {seq}:{hash} — `casedesk check --anchor {seq}:{hash}`로 이 회의록을 만든 뒤 그때까지의 기록이 바뀌지 않았음을 확인할 수 있습니다"
            ),
            Lang::En => format!(
                "Journal anchor {seq}:{hash} — `casedesk check --anchor {seq}:{hash}` proves that the record up to these minutes is unchanged since"
            ),
        })
    }

    fn duration(&self) -> String {
        let conf = self.conference;
        let used = conf.total_seconds(conf.closed_at.unwrap_or(conf.touched_at));
        let minutes = used.div_ceil(60);
        let span = match (conf.started_at, conf.closed_at) {
            (Some(s), Some(c)) => format!("{}–{} · ", s.format("%H:%M"), c.format("%H:%M")),
            (Some(s), None) => format!("{}– · ", s.format("%H:%M")),
            _ => String::new(),
        };
        match self.lang {
            Lang::Ko => format!(
                "{span}안건 논의 {minutes}분 (배정 {}분)",
                conf.budget_minutes()
            ),
            Lang::En => format!(
                "{span}{minutes} min on the agenda ({} min set aside)",
                conf.budget_minutes()
            ),
        }
    }

    fn document(&self) -> Document {
        let conf = self.conference;
        let lang = self.lang;
        let office = self
            .state
            .office
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_default();
        let mut facts = vec![
            (
                self.pick("회의", "Conference").to_string(),
                format!(
                    "#{} · {} · {}",
                    conf.id,
                    conf.kind.label(lang),
                    day(conf.date, lang)
                ),
            ),
            (self.pick("기관", "Office").to_string(), office),
            (
                self.pick("진행", "Facilitator").to_string(),
                conf.facilitator.clone(),
            ),
            (self.pick("시간", "Time").to_string(), self.duration()),
            (
                self.pick("상태", "State").to_string(),
                conf.state.label(lang).to_string(),
            ),
        ];
        if conf.state != ConferenceState::Closed {
            facts.push((
                self.pick("주의", "Note").to_string(),
                self.pick(
                    "회의가 끝나지 않아 초안입니다",
                    "the conference has not closed: this is a draft",
                )
                .to_string(),
            ));
        }
        if let Some(place) = &conf.place {
            facts.insert(1, (self.pick("장소", "Place").to_string(), place.clone()));
        }
        if let Some(time) = conf.time {
            facts.insert(
                1,
                (
                    self.pick("시작 시각", "Starts").to_string(),
                    time.format("%H:%M").to_string(),
                ),
            );
        }
        if let Some(next) = conf.next {
            facts.push((
                self.pick("다음 회의", "Next conference").to_string(),
                match next.time {
                    Some(t) => format!("{} {}", day(next.date, lang), t.format("%H:%M")),
                    None => day(next.date, lang),
                },
            ));
        }
        // By role (teams and agencies first, then the school, the family, the interpreter),
        // in the order they were listed within a role.
        let mut by_role: Vec<&crate::domain::model::Attendee> = conf.attendees.iter().collect();
        by_role.sort_by_key(|a| a.role);
        let attendees = by_role
            .into_iter()
            .map(|a| {
                vec![
                    a.role.label(lang).to_string(),
                    a.team.as_ref().map_or_else(|| "-".into(), |t| self.team(t)),
                    a.person.clone().unwrap_or_else(|| "-".into()),
                    a.status.label(lang).to_string(),
                ]
            })
            .collect();
        let end = conf.closed_at.unwrap_or(conf.touched_at);
        let summary = conf
            .agenda
            .iter()
            .enumerate()
            .map(|(i, item)| {
                vec![
                    (i + 1).to_string(),
                    item.case.to_string(),
                    self.student(item.case),
                    item.reasons_label(lang),
                    format!(
                        "{}/{}",
                        minutes(conf.used_seconds(i, end)),
                        item.budget_minutes
                    ),
                    outcome(item, lang),
                ]
            })
            .collect();
        let sections = conf
            .agenda
            .iter()
            .enumerate()
            .map(|(i, item)| self.section(i, item, conf.used_seconds(i, end)))
            .collect();
        let recap = self
            .recap()
            .into_iter()
            .map(|r| {
                let rows = r
                    .lines
                    .iter()
                    .map(|l| {
                        vec![
                            l.case.to_string(),
                            l.student.clone(),
                            self.free(Some(l.case), &l.action.title),
                            l.action.person.clone().unwrap_or_else(|| "-".into()),
                            day(l.action.due_on, lang),
                        ]
                    })
                    .collect();
                (r.label, rows)
            })
            .collect();
        let amendments = conf
            .amendments
            .iter()
            .map(|a| {
                let about = a.case.map(|c| format!("[{c}] ")).unwrap_or_default();
                format!(
                    "{} · {} · {about}{}",
                    a.at.format("%Y-%m-%d %H:%M"),
                    a.by,
                    self.free(a.case, &a.text)
                )
            })
            .collect();
        Document {
            title: format!(
                "{} — {}",
                self.pick("사례회의 회의록", "Minutes"),
                conf.title
            ),
            facts,
            attendees,
            summary,
            sections,
            recap,
            amendments,
            footer: if self.unmasked {
                self.pick(
                    "이 회의록에는 학생 실명이 있습니다: 외부로 보내지 마세요",
                    "These minutes show students' full names: do not send them outside",
                )
            } else {
                self.pick("학생 이름은 가려져 있습니다", "Students' names are masked")
            }
            .to_string(),
        }
    }

    fn section(&self, index: usize, item: &AgendaItem, used: u32) -> Section {
        let lang = self.lang;
        let case = self.state.cases.get(&item.case);
        let mut heading = format!("{}. {} · {}", index + 1, item.case, self.student(item.case));
        let mut facts = vec![(
            self.pick("안건 사유", "Why").to_string(),
            item.reasons_label(lang),
        )];
        if let Some(c) = case {
            heading.push_str(&format!(" · {} {}", c.school, c.grade));
            facts.push((
                self.pick("위기 수준 · 단계", "Level · stage").to_string(),
                format!("{} · {}", c.level.label(lang), c.stage.label(lang)),
            ));
            let co: Vec<String> = c.co_teams.iter().map(|t| self.team(t)).collect();
            facts.push((
                self.pick("주관 · 협력", "Lead · cooperating").to_string(),
                format!(
                    "{} · {}",
                    self.team(&c.lead_team),
                    if co.is_empty() {
                        "-".into()
                    } else {
                        co.join(", ")
                    }
                ),
            ));
        }
        facts.push((
            self.pick("논의 시간", "Time").to_string(),
            match lang {
                Lang::Ko => format!("{}분 (배정 {}분)", minutes(used), item.budget_minutes),
                Lang::En => format!("{} min ({} set aside)", minutes(used), item.budget_minutes),
            },
        ));
        if item.deferred {
            facts.push((
                self.pick("보류", "Deferred").to_string(),
                self.pick("다음 회의로 넘김", "to the next conference")
                    .to_string(),
            ));
        }
        let actions = self
            .item_actions(item)
            .map(|a| {
                vec![
                    a.id.to_string(),
                    self.free(Some(item.case), &a.title),
                    self.team(&a.team),
                    a.person.clone().unwrap_or_else(|| "-".into()),
                    day(a.due_on, lang),
                ]
            })
            .collect();
        let (since_day, done) = self.state.since_last_conference(
            self.conference,
            item.case,
            self.actions
                .range(
                    ActionId {
                        case: item.case,
                        n: 0,
                    }..=ActionId {
                        case: item.case,
                        n: u32::MAX,
                    },
                )
                .map(|(_, a)| a),
        );
        let since = done
            .iter()
            .map(|a| {
                vec![
                    a.id.to_string(),
                    self.free(Some(item.case), &a.title),
                    self.team(&a.team),
                    format!(
                        "{} {}",
                        a.status.label(lang),
                        a.closed_on.map(|d| d.to_string()).unwrap_or_default()
                    )
                    .trim_end()
                    .to_string(),
                    a.closed_by.clone().unwrap_or_else(|| "-".into()),
                    a.result
                        .as_deref()
                        .filter(|r| !r.is_empty())
                        .map_or_else(|| "-".into(), |r| self.free(Some(item.case), r)),
                ]
            })
            .collect();
        let review = item.changes.iter().rev().find_map(|c| match c {
            ItemChange::Review { .. } => Some(c.values(self.lang)),
            _ => None,
        });
        Section {
            heading,
            facts,
            since_day,
            since,
            discussed: item.touched(),
            decisions: item
                .decisions
                .iter()
                .map(|d| self.free(Some(item.case), d))
                .collect(),
            actions,
            review,
            changes: item
                .changes
                .iter()
                .filter(|c| !matches!(c, ItemChange::Review { .. }))
                .map(|c| c.describe(self.lang))
                .collect(),
        }
    }

    /// The minutes as Markdown.
    pub fn markdown(&self) -> String {
        let doc = self.document();
        let labels = Labels::new(self.lang);
        let mut out = format!("# {}\n\n", md_text(&doc.title));
        for (k, v) in &doc.facts {
            out.push_str(&format!("- **{}**: {}\n", md_text(k), md_text(v)));
        }
        out.push_str(&format!("\n## {}\n\n", labels.attendees));
        out.push_str(&md_table(
            &labels.attendee_cols,
            &doc.attendees,
            labels.none,
        ));
        out.push_str(&format!("\n## {}\n\n", labels.agenda));
        out.push_str(&md_table(&labels.summary_cols, &doc.summary, labels.none));
        for s in &doc.sections {
            out.push_str(&format!("\n## {}\n\n", md_text(&s.heading)));
            for (k, v) in &s.facts {
                out.push_str(&format!("- **{}**: {}\n", md_text(k), md_text(v)));
            }
            out.push_str(&format!("\n### {}\n\n", labels.since_heading(s.since_day)));
            out.push_str(&md_table(&labels.since_cols, &s.since, labels.none));
            if !s.discussed {
                out.push_str(&format!("\n{}\n", labels.not_discussed));
                continue;
            }
            out.push_str(&format!("\n### {}\n\n", labels.decisions));
            if s.decisions.is_empty() {
                out.push_str(&format!("{}\n", labels.none));
            }
            for (i, d) in s.decisions.iter().enumerate() {
                out.push_str(&format!("{}. {}\n", i + 1, md_text(d)));
            }
            out.push_str(&format!("\n### {}\n\n", labels.actions));
            out.push_str(&md_table(&labels.action_cols, &s.actions, labels.none));
            out.push_str(&format!(
                "\n- **{}**: {}\n",
                labels.review,
                s.review.as_deref().unwrap_or(labels.unchanged)
            ));
            for c in &s.changes {
                out.push_str(&format!("- {}\n", md_text(c)));
            }
        }
        out.push_str(&format!("\n## {}\n", labels.recap));
        if doc.recap.is_empty() {
            out.push_str(&format!("\n{}\n", labels.none));
        }
        for (team, rows) in &doc.recap {
            out.push_str(&format!("\n### {}\n\n", md_text(team)));
            out.push_str(&md_table(&labels.recap_cols, rows, labels.none));
        }
        if !doc.amendments.is_empty() {
            out.push_str(&format!("\n## {}\n\n", labels.amendments));
            for a in &doc.amendments {
                out.push_str(&format!("- {}\n", md_text(a)));
            }
        }
        out.push_str(&format!("\n---\n\n{}\n", md_text(&doc.footer)));
        if let Some(anchor) = self.anchor_line() {
            out.push_str(&format!("\n{}\n", md_text(&anchor)));
        }
        out
    }

    /// The minutes as a printable HTML page (A4, Korean fonts, one section per case).
    pub fn html(&self) -> String {
        let doc = self.document();
        let labels = Labels::new(self.lang);
        let lang = match self.lang {
            Lang::Ko => "ko",
            Lang::En => "en",
        };
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<dl class=\"facts\">\n",
            esc(&doc.title),
            esc(&doc.title)
        );
        for (k, v) in &doc.facts {
            out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(k), esc(v)));
        }
        out.push_str("</dl>\n");
        out.push_str(&format!("<h2>{}</h2>\n", labels.attendees));
        out.push_str(&html_table(&labels.attendee_cols, &doc.attendees));
        out.push_str(&format!("<h2>{}</h2>\n", labels.agenda));
        out.push_str(&html_table(&labels.summary_cols, &doc.summary));
        for s in &doc.sections {
            out.push_str(&format!(
                "<section class=\"case\">\n<h2>{}</h2>\n<dl class=\"facts\">\n",
                esc(&s.heading)
            ));
            for (k, v) in &s.facts {
                out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(k), esc(v)));
            }
            out.push_str("</dl>\n");
            out.push_str(&format!(
                "<h3>{}</h3>\n",
                esc(&labels.since_heading(s.since_day))
            ));
            if s.since.is_empty() {
                out.push_str(&format!("<p class=\"none\">{}</p>\n", labels.none));
            } else {
                out.push_str(&html_table(&labels.since_cols, &s.since));
            }
            if !s.discussed {
                out.push_str(&format!(
                    "<p class=\"none\">{}</p>\n</section>\n",
                    labels.not_discussed
                ));
                continue;
            }
            out.push_str(&format!("<h3>{}</h3>\n", labels.decisions));
            if s.decisions.is_empty() {
                out.push_str(&format!("<p class=\"none\">{}</p>\n", labels.none));
            } else {
                out.push_str("<ol>\n");
                for d in &s.decisions {
                    out.push_str(&format!("<li>{}</li>\n", esc(d).replace('\n', "<br>")));
                }
                out.push_str("</ol>\n");
            }
            out.push_str(&format!("<h3>{}</h3>\n", labels.actions));
            if s.actions.is_empty() {
                out.push_str(&format!("<p class=\"none\">{}</p>\n", labels.none));
            } else {
                out.push_str(&html_table(&labels.action_cols, &s.actions));
            }
            out.push_str(&format!(
                "<p><strong>{}</strong>: {}</p>\n",
                labels.review,
                esc(s.review.as_deref().unwrap_or(labels.unchanged))
            ));
            if !s.changes.is_empty() {
                out.push_str("<ul class=\"changes\">\n");
                for c in &s.changes {
                    out.push_str(&format!("<li>{}</li>\n", esc(c)));
                }
                out.push_str("</ul>\n");
            }
            out.push_str("</section>\n");
        }
        out.push_str(&format!(
            "<section class=\"recap\">\n<h2>{}</h2>\n",
            labels.recap
        ));
        if doc.recap.is_empty() {
            out.push_str(&format!("<p class=\"none\">{}</p>\n", labels.none));
        }
        for (team, rows) in &doc.recap {
            out.push_str(&format!("<h3>{}</h3>\n", esc(team)));
            out.push_str(&html_table(&labels.recap_cols, rows));
        }
        out.push_str("</section>\n");
        if !doc.amendments.is_empty() {
            out.push_str(&format!("<h2>{}</h2>\n<ul>\n", labels.amendments));
            for a in &doc.amendments {
                out.push_str(&format!("<li>{}</li>\n", esc(a)));
            }
            out.push_str("</ul>\n");
        }
        let anchor = self
            .anchor_line()
            .map(|a| format!("<p class=\"anchor\">{}</p>", esc(&a)))
            .unwrap_or_default();
        out.push_str(&format!(
            "<footer>{}{anchor}</footer>\n</body>\n</html>\n",
            esc(&doc.footer)
        ));
        out
    }

    /// One CSV per team of the actions it agreed (UTF-8 with a byte-order mark, so that Excel
    /// reads Korean correctly): `(team, bytes)`.
    pub fn team_csvs(&self) -> Result<Vec<(TeamCode, Vec<u8>)>, csv::Error> {
        let lang = self.lang;
        let header = [
            self.pick("회의", "conference"),
            self.pick("회의일", "conference_date"),
            self.pick("사례번호", "case"),
            self.pick("학생", "student"),
            self.pick("학교", "school"),
            self.pick("조치번호", "action"),
            self.pick("조치 내용", "title"),
            self.pick("담당 부서", "team"),
            self.pick("담당자", "person"),
            self.pick("기한", "due_on"),
            self.pick("상태", "status"),
            self.pick("저널 기준점", "journal_anchor"),
        ];
        let anchor = self
            .anchor
            .as_ref()
            .map(|(seq, hash)| format!("{seq}:{hash}"))
            .unwrap_or_default();
        let conf = self.conference;
        let mut files = Vec::new();
        for recap in self.recap() {
            let mut writer = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
            writer.write_record(header)?;
            for line in &recap.lines {
                let a = &line.action;
                let school = self
                    .state
                    .cases
                    .get(&line.case)
                    .map(|c| c.school.clone())
                    .unwrap_or_default();
                let record = [
                    format!("#{} {}", conf.id, conf.title),
                    conf.date.to_string(),
                    line.case.to_string(),
                    line.student.clone(),
                    school,
                    a.id.to_string(),
                    self.free(Some(line.case), &a.title),
                    recap.label.clone(),
                    a.person.clone().unwrap_or_default(),
                    a.due_on.to_string(),
                    a.status.label(lang).to_string(),
                    anchor.clone(),
                ];
                writer.write_record(record.iter().map(|cell| spreadsheet_safe(cell)))?;
            }
            let bytes = writer
                .into_inner()
                .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))?;
            files.push((recap.team, bytes));
        }
        Ok(files)
    }
}

fn minutes(seconds: u32) -> u32 {
    seconds.div_ceil(60)
}

struct Document {
    title: String,
    facts: Vec<(String, String)>,
    attendees: Vec<Vec<String>>,
    summary: Vec<Vec<String>>,
    sections: Vec<Section>,
    recap: Vec<(String, Vec<Vec<String>>)>,
    amendments: Vec<String>,
    footer: String,
}

struct Section {
    heading: String,
    facts: Vec<(String, String)>,
    /// The day the case was last discussed, when it was.
    since_day: Option<chrono::NaiveDate>,
    /// What came of its actions since then: finished or dropped, with result and who.
    since: Vec<Vec<String>>,
    discussed: bool,
    decisions: Vec<String>,
    actions: Vec<Vec<String>>,
    review: Option<String>,
    changes: Vec<String>,
}

struct Labels {
    attendees: &'static str,
    agenda: &'static str,
    decisions: &'static str,
    actions: &'static str,
    review: &'static str,
    unchanged: &'static str,
    recap: &'static str,
    amendments: &'static str,
    none: &'static str,
    not_discussed: &'static str,
    attendee_cols: [&'static str; 4],
    summary_cols: [&'static str; 6],
    action_cols: [&'static str; 5],
    recap_cols: [&'static str; 5],
    since: &'static str,
    since_first: &'static str,
    since_cols: [&'static str; 6],
}

impl Labels {
    /// `지난 회의 이후 (2026-11-20)`, or what it covers when the case was never discussed.
    fn since_heading(&self, day: Option<chrono::NaiveDate>) -> String {
        match day {
            Some(d) => format!("{} ({d})", self.since),
            None => self.since_first.to_string(),
        }
    }

    fn new(lang: Lang) -> Labels {
        match lang {
            Lang::Ko => Labels {
                attendees: "참석자",
                agenda: "안건",
                decisions: "결정사항",
                actions: "조치사항",
                review: "다음 점검일",
                unchanged: "변경 없음",
                recap: "부서별 조치 요약",
                amendments: "정정 기록",
                none: "없음",
                not_discussed: "논의하지 않음",
                attendee_cols: ["역할", "부서/기관", "이름", "참석"],
                summary_cols: ["#", "사례", "학생", "안건 사유", "시간(분)/배정", "결과"],
                action_cols: ["번호", "조치 내용", "담당 부서", "담당자", "기한"],
                recap_cols: ["사례", "학생", "조치 내용", "담당자", "기한"],
                since: "지난 회의 이후",
                since_first: "지난 회의 이후 (이전 회의 없음: 지금까지 끝난 조치)",
                since_cols: ["번호", "조치 내용", "담당 부서", "상태", "기록", "결과"],
            },
            Lang::En => Labels {
                attendees: "Attendees",
                agenda: "Agenda",
                decisions: "Decisions",
                actions: "Actions",
                review: "Next review",
                unchanged: "unchanged",
                recap: "Actions by team",
                amendments: "Amendments",
                none: "none",
                not_discussed: "not discussed",
                attendee_cols: ["Role", "Team", "Name", "Attendance"],
                summary_cols: ["#", "Case", "Student", "Why", "Min/budget", "Outcome"],
                action_cols: ["Id", "Action", "Owner", "Person", "Due"],
                recap_cols: ["Case", "Student", "Action", "Person", "Due"],
                since: "Since the last conference",
                since_first: "Since the last conference (none before: every finished action)",
                since_cols: ["Id", "Action", "Owner", "Status", "Recorded by", "Result"],
            },
        }
    }
}

const STYLE: &str = "@page { size: A4; margin: 18mm 16mm; }
body { font-family: \"Noto Sans KR\", \"Malgun Gothic\", \"맑은 고딕\", \"Apple SD Gothic Neo\", \"Nanum Gothic\", sans-serif; font-size: 10.5pt; line-height: 1.5; color: #000; max-width: 178mm; margin: 0 auto; word-break: keep-all; }
h1 { font-size: 16pt; border-bottom: 2px solid #000; padding-bottom: 4pt; }
h2 { font-size: 13pt; margin-top: 14pt; border-bottom: 1px solid #888; }
h3 { font-size: 11pt; margin: 8pt 0 4pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; }
th, td { border: 1px solid #666; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 1pt 10pt; margin: 4pt 0; }
dt { font-weight: bold; }
dd { margin: 0; }
section.case { break-inside: avoid-page; page-break-inside: avoid; }
.none { color: #555; }
footer { margin-top: 16pt; font-size: 9pt; color: #333; border-top: 1px solid #888; }
@media print { h2 { break-after: avoid-page; } }
";

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for h in header {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            out.push_str(&format!("<td>{}</td>", esc(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// Text that Markdown shows as written: characters that would start markup are escaped, and
/// line breaks inside a value stay inside it.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // A `#` only starts a heading at the start of a line.
    if s.starts_with('#') {
        out.push('\\');
    }
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn md_table(header: &[&str], rows: &[Vec<String>], none: &str) -> String {
    if rows.is_empty() {
        return format!("{none}\n");
    }
    let mut out = format!("| {} |\n", header.join(" | "));
    out.push_str(&format!(
        "|{}\n",
        header.iter().map(|_| " --- |").collect::<String>()
    ));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| md_text(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}
