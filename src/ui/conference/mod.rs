//! The conference screens: the list of conferences, preparing one (agenda and attendance),
//! the projected run screen (agenda with progress, the case under discussion, the clock against
//! its budget, what was recorded), and the recap by team once it closes. Pure drawing; the time
//! comes from the app (`Session::now`), never from a clock.

mod prepare;
mod recap;
mod record;
mod run;

use prepare::prepare;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};
use recap::recap;
pub use run::run;

use super::{Theme, block, first_key, page_window, short_day};
use crate::app::App;
use crate::app::screens::conference_order;
use crate::domain::model::ConferenceState;
use crate::domain::{CaseNumber, Conference, State, TeamCode};
use crate::i18n::Lang;
use crate::keymap::Action as Do;

pub(super) fn draw_table(
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
pub(super) fn free(app: &App, state: &State, case: Option<CaseNumber>, text: &str) -> String {
    state.case_text(case, &text.replace('\n', " "), app.session.presentation)
}

pub(super) fn team_label(state: &State, code: &TeamCode, lang: Lang) -> String {
    state
        .team(code)
        .map_or(code.to_string(), |t| format!("{} {}", t.code, t.name(lang)))
}

pub(super) fn clock(seconds: u32) -> String {
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
    let rows: Vec<Row> = list
        .get(window.clone())
        .unwrap_or_default()
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
    // `#12` and `#10000` alike whole.
    let id_width = list
        .iter()
        .map(|c| format!("#{}", c.id).len())
        .max()
        .unwrap_or(0)
        .max(5);
    let widths = [
        Constraint::Length(u16::try_from(id_width).unwrap_or(u16::MAX)),
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

pub(super) fn facts_line(app: &App, conf: &Conference) -> String {
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
