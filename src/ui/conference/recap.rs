//! A closed conference: its facts, what came of each item, and the recap by team (what, for
//! which case, by when). Pure drawing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{facts_line, free};
use crate::app::App;
use crate::cells::pad;
use crate::domain::recap::{outcome, team_recap};
use crate::domain::{Conference, State};
use crate::i18n::Lang;
use crate::ui::{Theme, block, short_day, student_name};

pub(super) fn recap(
    app: &App,
    state: &State,
    conf: &Conference,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
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
