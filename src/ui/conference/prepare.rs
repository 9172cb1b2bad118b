//! A conference being prepared: its facts, the agenda with each item's case, level, budget
//! and why it is there, and the attendance. Pure drawing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::{draw_table, facts_line, team_label};
use crate::app::App;
use crate::app::screens::PrepPane;
use crate::cells::truncate;
use crate::domain::{Conference, State};
use crate::i18n::Lang;
use crate::keymap::Action as Do;
use crate::ui::{Theme, block, first_key, level_style, page_window, student_name};

pub(super) fn prepare(
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
        let rows: Vec<Row> = conf
            .agenda
            .get(window.clone())
            .unwrap_or_default()
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
        // Case numbers whole, however many cases the year has (`2026-78429`).
        let number_width = conf
            .agenda
            .get(window.clone())
            .unwrap_or_default()
            .iter()
            .map(|item| item.case.to_string().len())
            .max()
            .unwrap_or(0)
            .max(9);
        let widths = [
            Constraint::Length(3),
            Constraint::Length(u16::try_from(number_width).unwrap_or(u16::MAX)),
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
    let lines: Vec<Line> = conf
        .attendees
        .get(window.clone())
        .unwrap_or_default()
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
