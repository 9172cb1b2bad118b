//! The conference screens: the list of conferences, preparing one (agenda and attendance),
//! the projected run screen (agenda with progress, the case under discussion, the clock against
//! its budget, what was recorded), and the recap by team once it closes. Pure drawing; the time
//! comes from the app (`App::now`), never from a clock.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::{Theme, block, first_key, level_style, page_window, short_day, student_name};
use crate::app::App;
use crate::app::screens::PrepPane;
use crate::app::screens::conference_order;
use crate::cells::{pad, truncate};
use crate::domain::model::{AgendaItem, ConferenceState};
use crate::domain::recap::{outcome, team_recap};
use crate::domain::{Case, CaseNumber, Conference, State, TeamCode};
use crate::i18n::Lang;
use crate::keymap::Action as Do;

fn draw_table(
    frame: &mut Frame,
    area: Rect,
    header: &[&str],
    rows: Vec<Row>,
    widths: &[Constraint],
    theme: Theme,
) {
    frame.render_widget(
        Table::new(rows, widths.iter().copied())
            .header(Row::new(header.iter().copied()).style(theme.title()))
            .column_spacing(1),
        area,
    );
}

/// Free text about `case` as the screen may show it: with the student's name masked in it in
/// presentation mode.
fn free(app: &App, state: &State, case: Option<CaseNumber>, text: &str) -> String {
    state.case_text(case, &text.replace('\n', " "), app.session.presentation)
}

fn team_label(state: &State, code: &TeamCode, lang: Lang) -> String {
    state
        .team(code)
        .map_or(code.to_string(), |t| format!("{} {}", t.code, t.name(lang)))
}

fn clock(seconds: u32) -> String {
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

/// 사례회의: every conference, the running one first.
pub fn conferences(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.session.lang;
    let list = conference_order(state);
    let outer = block(
        match lang {
            Lang::Ko => format!(" 사례회의 {}건 ", list.len()),
            Lang::En => format!(" Conferences: {} ", list.len()),
        },
        true,
        theme,
    );
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    if list.is_empty() {
        let key = first_key(app, Do::NewConference).unwrap_or_default();
        let text = match lang {
            Lang::Ko => {
                format!("사례회의가 없습니다. {key}: 새 사례회의 준비 (안건을 자동으로 제안합니다)")
            }
            Lang::En => format!("No conferences yet. {key}: prepare one (the agenda is proposed)"),
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.dim())
                .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let header = match lang {
        Lang::Ko => ["번호", "날짜", "종류", "상태", "안건", "결과", "제목"],
        Lang::En => ["id", "date", "kind", "state", "items", "outcome", "title"],
    };
    let height = usize::from(inner.height.saturating_sub(1));
    let window = page_window(app.screens.conferences.sel, list.len(), height);
    let rows: Vec<Row> = list[window.clone()]
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let decisions: usize = c.agenda.iter().map(|i| i.decisions.len()).sum();
            let actions: usize = c.agenda.iter().map(|i| i.actions.len()).sum();
            let result = match lang {
                Lang::Ko => format!("결정 {decisions} · 조치 {actions}"),
                Lang::En => format!("{decisions} dec. · {actions} act."),
            };
            let state_style = match c.state {
                ConferenceState::Running => theme.warn(),
                ConferenceState::Planned => theme.text(),
                ConferenceState::Closed => theme.dim(),
            };
            let row = Row::new(vec![
                Cell::from(format!("#{}", c.id)),
                Cell::from(short_day(c.date, lang)),
                Cell::from(c.kind.label(lang)),
                Cell::from(Span::styled(c.state.label(lang), state_style)),
                Cell::from(c.agenda.len().to_string()),
                Cell::from(result),
                Cell::from(c.title.clone()),
            ]);
            if window.start + i == app.screens.conferences.sel {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let widths = [
        Constraint::Length(5),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(5),
        Constraint::Length(15),
        Constraint::Min(10),
    ];
    draw_table(frame, inner, &header, rows, &widths, theme);
}

/// The conference screen below the tabs: preparation or recap (the run screen has the whole
/// terminal, see [`run`]).
pub fn conference(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    let Some(conf) = app.shown_conference(state) else {
        let text = if app.session.following {
            app.session.lang.pick(
                "진행 중인 사례회의가 없습니다: 회의가 시작되면 그 화면을 따라갑니다 (q: 끝내기)",
                "No conference is running: its screen follows here once one starts (q: quit)",
            )
        } else {
            app.session.lang.pick(
                "사례회의를 찾을 수 없습니다. Esc: 뒤로",
                "The conference cannot be found. Esc: back",
            )
        };
        frame.render_widget(Paragraph::new(text).style(theme.dim()), area);
        return;
    };
    match conf.state {
        ConferenceState::Closed => recap(app, state, conf, theme, frame, area),
        _ => prepare(app, state, conf, theme, frame, area),
    }
}

fn facts_line(app: &App, conf: &Conference) -> String {
    let lang = app.session.lang;
    match lang {
        Lang::Ko => format!(
            " #{} {} · {} · {} · 안건 {}건 · 배정 {}분 · 진행 {} · {}",
            conf.id,
            conf.state.label(lang),
            crate::i18n::day(conf.date, lang),
            conf.kind.label(lang),
            conf.agenda.len(),
            conf.budget_minutes(),
            conf.facilitator,
            conf.title,
        ),
        Lang::En => format!(
            " #{} {} · {} · {} · {} items · {} min · facilitator {} · {}",
            conf.id,
            conf.state.label(lang),
            crate::i18n::day(conf.date, lang),
            conf.kind.label(lang),
            conf.agenda.len(),
            conf.budget_minutes(),
            conf.facilitator,
            conf.title,
        ),
    }
}

fn prepare(
    app: &App,
    state: &State,
    conf: &Conference,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.session.lang;
    let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(facts_line(app, conf), theme.title())),
        top,
    );
    let side = if body.width >= 100 { 36 } else { 28 };
    let [left, right] =
        Layout::horizontal([Constraint::Min(30), Constraint::Length(side)]).areas(body);
    let on_agenda = app.screens.conference.prepare.pane == PrepPane::Agenda;
    let outer = block(
        match lang {
            Lang::Ko => format!(" 안건 {}건 ", conf.agenda.len()),
            Lang::En => format!(" Agenda: {} ", conf.agenda.len()),
        },
        on_agenda,
        theme,
    );
    let inner = outer.inner(left);
    frame.render_widget(outer, left);
    if conf.agenda.is_empty() {
        let key = first_key(app, Do::AddEntry).unwrap_or_default();
        frame.render_widget(
            Paragraph::new(match lang {
                Lang::Ko => format!("안건이 없습니다. {key}: 사례 추가"),
                Lang::En => format!("Nothing on the agenda. {key}: add a case"),
            })
            .style(theme.dim()),
            inner,
        );
    } else {
        let header = match lang {
            Lang::Ko => ["#", "사례", "학생", "위기", "배정", "안건 사유"],
            Lang::En => ["#", "case", "student", "level", "min", "why"],
        };
        let height = usize::from(inner.height.saturating_sub(1));
        let window = page_window(
            app.screens.conference.prepare.agenda_sel,
            conf.agenda.len(),
            height,
        );
        let rows: Vec<Row> = conf.agenda[window.clone()]
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let n = window.start + i;
                let case = state.cases.get(&item.case);
                let row = Row::new(vec![
                    Cell::from((n + 1).to_string()),
                    Cell::from(item.case.to_string()),
                    Cell::from(case.map_or("-".into(), |c| student_name(app, c, false))),
                    Cell::from(case.map_or(Span::raw("-"), |c| {
                        Span::styled(c.level.short(lang), level_style(theme, c.level))
                    })),
                    Cell::from(format!("{}′", item.budget_minutes)),
                    Cell::from(item.reasons_label(lang)),
                ]);
                if n == app.screens.conference.prepare.agenda_sel && on_agenda {
                    row.style(theme.selected())
                } else {
                    row
                }
            })
            .collect();
        let widths = [
            Constraint::Length(3),
            Constraint::Length(9),
            Constraint::Length(7),
            Constraint::Length(6),
            Constraint::Length(4),
            Constraint::Min(8),
        ];
        draw_table(frame, inner, &header, rows, &widths, theme);
    }
    let present = conf.attendees.iter().filter(|a| a.present).count();
    let outer = block(
        match lang {
            Lang::Ko => format!(" 참석 {present}/{} ", conf.attendees.len()),
            Lang::En => format!(" Present {present}/{} ", conf.attendees.len()),
        },
        !on_agenda,
        theme,
    );
    let inner = outer.inner(right);
    frame.render_widget(outer, right);
    if conf.attendees.is_empty() {
        frame.render_widget(
            Paragraph::new(lang.pick("참석자가 없습니다", "No attendees yet")).style(theme.dim()),
            inner,
        );
        return;
    }
    let window = page_window(
        app.screens.conference.prepare.attend_sel,
        conf.attendees.len(),
        usize::from(inner.height),
    );
    let lines: Vec<Line> = conf.attendees[window.clone()]
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mark = if a.present { "[✓] " } else { "[ ] " };
            let mut text = format!("{mark}{}", team_label(state, &a.team, lang));
            if let Some(p) = &a.person {
                text.push_str(&format!(" · {p}"));
            }
            let line = Line::from(truncate(&text, usize::from(inner.width)));
            if window.start + i == app.screens.conference.prepare.attend_sel && !on_agenda {
                line.style(theme.selected())
            } else if a.present {
                line
            } else {
                line.style(theme.dim())
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn recap(app: &App, state: &State, conf: &Conference, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.session.lang;
    let end = conf.closed_at.unwrap_or(conf.touched_at);
    let used = conf.total_seconds(end).div_ceil(60);
    let span = match (conf.started_at, conf.closed_at) {
        (Some(s), Some(c)) => format!(" · {}–{}", s.format("%H:%M"), c.format("%H:%M")),
        _ => String::new(),
    };
    let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(
                "{}{span} · {}",
                facts_line(app, conf),
                match lang {
                    Lang::Ko => format!("논의 {used}분"),
                    Lang::En => format!("{used} min"),
                }
            ),
            theme.title(),
        )),
        top,
    );
    let wide = body.width >= 100;
    let [left, right] = if wide {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body)
    } else {
        Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(body)
    };
    // Agenda with what came of each item.
    let outer = block(
        lang.pick(" 안건 결과 ", " Outcomes ").to_string(),
        false,
        theme,
    );
    let inner = outer.inner(left);
    frame.render_widget(outer, left);
    let lines: Vec<Line> = conf
        .agenda
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let name = state
                .cases
                .get(&item.case)
                .map_or("-".into(), |c| student_name(app, c, false));
            Line::from(vec![
                Span::raw(format!("{:>2} {} {} ", i + 1, item.case, pad(&name, 6))),
                Span::styled(
                    outcome(item, lang),
                    if item.deferred {
                        theme.warn()
                    } else {
                        theme.text()
                    },
                ),
            ])
        })
        .collect();
    let scroll = u16::try_from(app.screens.conference.recap.scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    // What each team agreed to do, for which case, by when.
    let outer = block(
        lang.pick(
            " 부서별 조치: 무엇을 · 어느 사례 · 언제까지 ",
            " By team: what · which case · by when ",
        )
        .to_string(),
        true,
        theme,
    );
    let inner = outer.inner(right);
    frame.render_widget(outer, right);
    let mut lines: Vec<Line> = Vec::new();
    // The screen follows presentation mode and masks names in lists anyway.
    let recap = team_recap(
        state,
        conf,
        &app.screens.conference.recap.actions,
        true,
        lang,
    );
    let agreed: usize = conf.agenda.iter().map(|i| i.actions.len()).sum();
    if agreed == 0 {
        lines.push(Line::styled(
            lang.pick("이 회의에서 정한 조치가 없습니다", "No actions were agreed"),
            theme.dim(),
        ));
    } else if recap.is_empty() {
        lines.push(Line::styled(
            if app.screens.conference.recap.actions_read {
                lang.pick(
                    "이 회의에서 정한 조치를 찾을 수 없습니다 (되돌려졌을 수 있습니다)",
                    "The actions agreed here cannot be found (they may have been undone)",
                )
            } else {
                lang.pick("조치를 읽는 중…", "Reading the actions…")
            },
            theme.dim(),
        ));
    }
    for team in &recap {
        lines.push(Line::styled(
            format!("{} ({})", team.label, team.lines.len()),
            theme.title(),
        ));
        for l in &team.lines {
            let late = l.action.is_overdue(app.session.today);
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {} ", short_day(l.action.due_on, lang)),
                    if late { theme.alert() } else { theme.text() },
                ),
                Span::raw(format!("{} {} · ", l.case, l.student)),
                Span::raw(free(app, state, Some(l.case), &l.action.title)),
                Span::styled(
                    if l.action.is_open() {
                        String::new()
                    } else {
                        format!(" ({})", l.action.status.label(lang))
                    },
                    theme.dim(),
                ),
            ]));
        }
    }
    if !conf.amendments.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            lang.pick("정정 기록", "Amendments"),
            theme.title(),
        ));
        for a in &conf.amendments {
            let about = a.case.map(|c| format!("[{c}] ")).unwrap_or_default();
            lines.push(Line::raw(format!(
                " {} {about}{}",
                a.at.format("%m-%d %H:%M"),
                free(app, state, a.case, &a.text)
            )));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        match lang {
            Lang::Ko => format!(
                "회의록: casedesk conference minutes {} --format html|md|csv",
                conf.id
            ),
            Lang::En => format!(
                "Minutes: casedesk conference minutes {} --format html|md|csv",
                conf.id
            ),
        },
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// How the clock stands against the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pace {
    Within,
    Near,
    Over,
}

fn pace(used: u32, budget_minutes: u16) -> Pace {
    let (used, budget) = (u64::from(used), u64::from(budget_minutes) * 60);
    if used > budget {
        Pace::Over
    } else if used * 5 >= budget * 4 {
        Pace::Near
    } else {
        Pace::Within
    }
}

/// The run screen, projected: the whole terminal but the status line.
pub fn run(
    app: &App,
    state: &State,
    conf: &Conference,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.session.lang;
    let Some(item) = conf.current_item() else {
        // A team member following sees only their cases: another one is under discussion.
        let text = match lang {
            Lang::Ko => format!(
                " #{} {} · 지금은 볼 수 있는 사례가 아닌 안건을 논의 중입니다",
                conf.id, conf.title
            ),
            Lang::En => format!(
                " #{} {} · an item you have no access to is under discussion",
                conf.id, conf.title
            ),
        };
        frame.render_widget(Paragraph::new(text).style(theme.dim()), area);
        return;
    };
    let now = app.session.now;
    let used = conf.used_seconds(conf.current, now);
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let done = conf.agenda.iter().filter(|i| i.touched()).count();
    let total = conf.total_seconds(now) / 60;
    let mut spans = vec![
        Span::styled(format!(" #{} {} ", conf.id, conf.title), theme.title()),
        Span::raw(match lang {
            Lang::Ko => format!(
                "· 안건 {}/{} · 논의 {done}건 · 전체 {total}분/{}분",
                conf.current + 1,
                conf.agenda.len(),
                conf.budget_minutes()
            ),
            Lang::En => format!(
                "· item {}/{} · {done} discussed · {total}/{} min",
                conf.current + 1,
                conf.agenda.len(),
                conf.budget_minutes()
            ),
        }),
    ];
    if conf.clock_since.is_none() {
        spans.push(Span::styled(
            lang.pick("  [시계 멈춤]", "  [clock stopped]"),
            theme.warn(),
        ));
    }
    if app.session.presentation {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(
            lang.pick(" 발표 모드 · 이름 가림 ", " PRESENTATION · names masked "),
            theme.active(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), head);

    let side = if body.width >= 100 { 30 } else { 24 };
    let [left, main] =
        Layout::horizontal([Constraint::Length(side), Constraint::Min(30)]).areas(body);
    let timer_rows = if side < 28 { 6 } else { 5 };
    let [agenda_area, timer_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(timer_rows)]).areas(left);
    agenda_progress(app, state, conf, theme, frame, agenda_area);
    timer(app, conf, item, used, theme, frame, timer_area);

    let mut lines = record_lines(app, state, item);
    let record_rows = lines.len() as u16 + 2;
    let record_height = record_rows.min(main.height / 2).max(4);
    let [case_area, record_area] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(record_height)]).areas(main);
    match state.cases.get(&item.case) {
        Some(case) => current_case(app, state, conf, item, case, theme, frame, case_area),
        None => frame.render_widget(block(item.case.to_string(), true, theme), case_area),
    }
    let outer = block(
        lang.pick(" 이번 회의 기록 ", " Recorded here ").to_string(),
        false,
        theme,
    );
    let inner = outer.inner(record_area);
    frame.render_widget(outer, record_area);
    if lines.is_empty() {
        let key = |a| first_key(app, a).unwrap_or_default();
        lines.push(Line::styled(
            match lang {
                Lang::Ko => format!(
                    "아직 기록이 없습니다. {} 결정 · {} 조치 · {} 점검일",
                    key(Do::Decision),
                    key(Do::MeetingAction),
                    key(Do::SetReview)
                ),
                Lang::En => format!(
                    "Nothing recorded yet. {} decision · {} action · {} review",
                    key(Do::Decision),
                    key(Do::MeetingAction),
                    key(Do::SetReview)
                ),
            },
            theme.dim(),
        ));
    }
    // The latest entries matter most: when they do not fit, the oldest scroll off the top.
    let room = usize::from(inner.height);
    let skip = lines.len().saturating_sub(room);
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
        inner,
    );
}

fn agenda_progress(
    app: &App,
    state: &State,
    conf: &Conference,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.session.lang;
    let outer = block(
        match lang {
            Lang::Ko => format!(" 안건 {}/{} ", conf.current + 1, conf.agenda.len()),
            Lang::En => format!(" Agenda {}/{} ", conf.current + 1, conf.agenda.len()),
        },
        false,
        theme,
    );
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let window = page_window(conf.current, conf.agenda.len(), usize::from(inner.height));
    let lines: Vec<Line> = conf.agenda[window.clone()]
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let n = window.start + i;
            let (mark, style) = if n == conf.current {
                ("▶", theme.selected())
            } else if item.deferred {
                ("↷", theme.warn())
            } else if item.touched() {
                ("✓", theme.dim())
            } else {
                (" ", theme.text())
            };
            let name = state
                .cases
                .get(&item.case)
                .map_or("-".into(), |c| student_name(app, c, false));
            let text = format!("{mark}{:>2} {} {name}", n + 1, item.case);
            Line::from(pad(&text, usize::from(inner.width))).style(style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn timer(
    app: &App,
    conf: &Conference,
    item: &AgendaItem,
    used: u32,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.session.lang;
    let pace = pace(used, item.budget_minutes);
    let style = match pace {
        Pace::Within => theme.ok(),
        Pace::Near => theme.warn(),
        Pace::Over => theme.alert(),
    };
    let outer = block(lang.pick(" 시간 ", " Time ").to_string(), false, theme).border_style(style);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let budget = u32::from(item.budget_minutes) * 60;
    let state_text = match pace {
        Pace::Within => String::new(),
        Pace::Near => lang.pick(" 곧 초과", " near budget").to_string(),
        Pace::Over => match lang {
            Lang::Ko => format!(" 초과 +{}", clock(used - budget)),
            Lang::En => format!(" over +{}", clock(used - budget)),
        },
    };
    let bar_width = usize::from(inner.width).max(1);
    let filled = if budget == 0 {
        bar_width
    } else {
        ((used as usize * bar_width) / budget as usize).min(bar_width)
    };
    let bar = format!(
        "{}{}",
        "█".repeat(filled),
        "░".repeat(bar_width.saturating_sub(filled))
    );
    let time = Line::from(vec![
        Span::styled(format!(" {}", clock(used)), style),
        Span::raw(format!(" / {}", clock(budget))),
    ]);
    let mut lines = Vec::new();
    // On one line when it fits, else the pace goes on a line of its own.
    if time.width() + crate::cells::width(&state_text) <= usize::from(inner.width) {
        let mut time = time;
        time.push_span(Span::styled(state_text, style));
        lines.push(time);
    } else {
        lines.push(time);
        lines.push(Line::styled(state_text, style));
    }
    lines.extend([
        Line::styled(bar, style),
        Line::styled(
            match lang {
                Lang::Ko => format!(
                    " 전체 {}분 / {}분",
                    conf.total_seconds(app.session.now) / 60,
                    conf.budget_minutes()
                ),
                Lang::En => format!(
                    " total {} / {} min",
                    conf.total_seconds(app.session.now) / 60,
                    conf.budget_minutes()
                ),
            },
            theme.dim(),
        ),
    ]);
    frame.render_widget(Paragraph::new(lines), inner);
}

#[allow(clippy::too_many_arguments)]
fn current_case(
    app: &App,
    state: &State,
    conf: &Conference,
    item: &AgendaItem,
    case: &Case,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.session.lang;
    let title = format!(
        " {} {} · {} {} ",
        case.number,
        student_name(app, case, false),
        case.school,
        case.grade
    );
    let outer = block(title, true, theme);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let room = usize::from(inner.width);
    // Each fact is one line cut to the width (with …), so nothing overruns the frame.
    let fact = |ko: &'static str, en: &'static str, value: String| {
        let label = lang.pick(ko, en);
        Line::from(vec![
            Span::styled(format!("{label} "), theme.title()),
            Span::raw(truncate(
                &value.replace('\n', " "),
                room.saturating_sub(crate::cells::width(label) + 1),
            )),
        ])
    };
    let co: Vec<String> = case
        .co_teams
        .iter()
        .map(|t| team_label(state, t, lang))
        .collect();
    let domains = case.domain_labels(lang);
    let head = format!(
        "{} · {}{}",
        case.level.label(lang),
        case.stage.label(lang),
        match case.review_on {
            Some(d) => format!(
                " · {} {}",
                lang.pick("점검일", "review"),
                short_day(d, lang)
            ),
            None => String::new(),
        }
    );
    let why = truncate(
        &format!(
            "   {} {}",
            lang.pick("사유:", "why:"),
            item.reasons_label(lang)
        ),
        room.saturating_sub(crate::cells::width(&head)),
    );
    let mut lines = vec![
        Line::from(vec![
            Span::styled(head, level_style(theme, case.level)),
            Span::styled(why, theme.dim()),
        ]),
        fact(
            "영역",
            "Domains",
            if domains.is_empty() {
                "-".into()
            } else {
                domains.join(", ")
            },
        ),
        fact(
            "주관",
            "Lead",
            format!(
                "{}{}",
                team_label(state, &case.lead_team, lang),
                case.lead_person
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            ),
        ),
        fact(
            "협력",
            "Co-op",
            if co.is_empty() {
                "-".into()
            } else {
                co.join(", ")
            },
        ),
    ];
    if !case.summary.is_empty() {
        // Free text: on the projected screen the student's name in it is masked too.
        lines.push(fact(
            "요약",
            "Summary",
            free(app, state, Some(case.number), &case.summary),
        ));
    }
    let open: Vec<_> = state
        .actions_of(case.number)
        .filter(|a| a.is_open() && !item.actions.contains(&a.id))
        .collect();
    lines.push(Line::styled(
        match lang {
            Lang::Ko => format!("진행 중인 조치 {}건", open.len()),
            Lang::En => format!("Open actions: {}", open.len()),
        },
        theme.title(),
    ));
    let past = state.past_items(case.number, (conf.date, conf.id));
    let last = past.first();
    let past_rows = last.map_or(0, |(_, i)| i.decisions.len().max(1) + 1);
    let rows_left = usize::from(inner.height)
        .saturating_sub(lines.len() + past_rows)
        .max(1);
    let shown = if open.len() > rows_left {
        rows_left.saturating_sub(1)
    } else {
        open.len()
    };
    for a in open.iter().take(shown) {
        let late = a.is_overdue(app.session.today);
        lines.push(Line::from(vec![
            Span::styled(if late { " ! " } else { "   " }, theme.alert()),
            Span::styled(
                short_day(a.due_on, lang),
                if late { theme.alert() } else { theme.text() },
            ),
            Span::raw(format!(" {:<7}", a.team.as_str())),
            Span::raw(free(app, state, Some(case.number), &a.title)),
        ]));
    }
    if shown < open.len() {
        lines.push(Line::styled(
            match lang {
                Lang::Ko => format!("   … 외 {}건", open.len() - shown),
                Lang::En => format!("   … and {} more", open.len() - shown),
            },
            theme.dim(),
        ));
    }
    if let Some((prev, prev_item)) = last {
        lines.push(Line::styled(
            match lang {
                Lang::Ko => format!(
                    "지난 회의 #{} ({}) 결정",
                    prev.id,
                    short_day(prev.date, lang)
                ),
                Lang::En => format!(
                    "Last conference #{} ({}): decisions",
                    prev.id,
                    short_day(prev.date, lang)
                ),
            },
            theme.title(),
        ));
        if prev_item.decisions.is_empty() {
            lines.push(Line::styled(
                if prev_item.deferred {
                    lang.pick("   (보류됨)", "   (deferred)")
                } else {
                    lang.pick("   (결정 없음)", "   (none)")
                },
                theme.dim(),
            ));
        }
        for d in &prev_item.decisions {
            lines.push(Line::raw(truncate(
                &format!("   · {}", free(app, state, Some(case.number), d)),
                room,
            )));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn record_lines(app: &App, state: &State, item: &AgendaItem) -> Vec<Line<'static>> {
    let lang = app.session.lang;
    let mut lines = Vec::new();
    for (i, d) in item.decisions.iter().enumerate() {
        lines.push(Line::from(vec![
            Span::raw(format!(" {} {}. ", lang.pick("결정", "Decision"), i + 1)),
            Span::raw(free(app, state, Some(item.case), d)),
        ]));
    }
    for id in &item.actions {
        let text = match state.actions.get(id) {
            Some(a) => format!(
                " {} {} {} · {} · {}{}",
                lang.pick("조치", "Action"),
                a.id,
                free(app, state, Some(item.case), &a.title),
                a.team,
                short_day(a.due_on, lang),
                a.person
                    .as_deref()
                    .map(|p| format!(" · {p}"))
                    .unwrap_or_default()
            ),
            None => format!(" {} {id}", lang.pick("조치", "Action")),
        };
        lines.push(Line::raw(text));
    }
    for change in &item.changes {
        lines.push(Line::raw(format!(" {}", change.describe(lang))));
    }
    if item.deferred {
        lines.push(Line::raw(
            lang.pick(" 다음 회의로 보류", " Deferred to the next conference")
                .to_string(),
        ));
    }
    lines
}
