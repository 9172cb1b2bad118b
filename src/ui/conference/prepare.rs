//! A conference being prepared (or rearranged while it runs): its facts, the agenda with each
//! item's case, level, budget and why it is there, its line against the conference's length,
//! the cases also due below it, and the attendance by role and presence. Pure drawing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::facts_line;
use crate::app::App;
use crate::app::screens::PrepPane;
use crate::cells::{pad, truncate};
use crate::domain::model::{ConferenceState, Presence};
use crate::domain::{Conference, PlannedItem, State};
use crate::i18n::Lang;
use crate::keymap::Action as Do;
use crate::ui::{Theme, block, first_key, level_style, page_window, student_name};

pub(crate) fn prepare(
    app: &App,
    state: &State,
    conf: &Conference,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.session.lang;
    let room = &app.screens.conference;
    let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let facts = if conf.state == ConferenceState::Running {
        let back = first_key(app, Do::Back).unwrap_or_default();
        match lang {
            Lang::Ko => format!(
                " #{} 회의 중 안건·참석 고치기 · {back}: 회의로 돌아가기",
                conf.id
            ),
            Lang::En => format!(
                " #{} rearranging while it runs · {back}: back to the meeting",
                conf.id
            ),
        }
    } else {
        facts_line(app, conf)
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            truncate(&facts, usize::from(top.width)),
            theme.title(),
        )),
        top,
    );
    let side = if body.width >= 100 { 36 } else { 28 };
    let [left, right] =
        Layout::horizontal([Constraint::Min(30), Constraint::Length(side)]).areas(body);
    let on_agenda = room.prepare.pane == PrepPane::Agenda;
    let planned = conf.budget_minutes();
    let length = u32::from(conf.length_minutes);
    let over = planned.saturating_sub(length);
    let title = match (lang, over) {
        (Lang::Ko, 0) => format!(" 안건 {}건 · {planned}/{length}분 ", conf.agenda.len()),
        (Lang::Ko, _) => format!(
            " 안건 {}건 · {planned}/{length}분 · {over}분 초과 ",
            conf.agenda.len()
        ),
        (Lang::En, 0) => format!(" Agenda: {} · {planned}/{length} min ", conf.agenda.len()),
        (Lang::En, _) => format!(
            " Agenda: {} · {planned}/{length} min · {over} over ",
            conf.agenda.len()
        ),
    };
    let outer = block(title, on_agenda, theme);
    let inner = outer.inner(left);
    frame.render_widget(outer, left);
    let also = state.also_due(conf, &app.session.referrals, &app.session.calendar);
    if conf.agenda.is_empty() && also.is_empty() {
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
        agenda_table(app, state, conf, &also, on_agenda, theme, frame, inner);
    }
    attendance(app, state, conf, !on_agenda, theme, frame, right);
}

/// The agenda, its line, and below it the cases also due with their reasons: drawn as lines,
/// so the line between them spans the pane.
#[allow(clippy::too_many_arguments)]
fn agenda_table(
    app: &App,
    state: &State,
    conf: &Conference,
    also: &[PlannedItem],
    focused: bool,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.session.lang;
    let width = usize::from(area.width);
    let sel = app.screens.conference.prepare.agenda_sel;
    // Case numbers whole, however many cases the year has (`2026-78429`).
    let case_width = conf
        .agenda
        .iter()
        .map(|item| item.case.to_string().len())
        .chain(also.iter().map(|p| p.case.to_string().len()))
        .max()
        .unwrap_or(0)
        .max(usize::from(CASE_WIDTH));
    let cols = [3, case_width, 7, 6, 4];
    let header = match lang {
        Lang::Ko => ["#", "사례", "학생", "위기", "배정", "안건 사유"],
        Lang::En => ["#", "case", "student", "level", "min", "why"],
    };
    let cell = |text: &str, cells: usize| format!("{} ", pad(text, cells));
    let head_text: String = header
        .iter()
        .zip(cols.iter().chain(std::iter::once(&0)))
        .map(|(h, w)| if *w == 0 { h.to_string() } else { cell(h, *w) })
        .collect();
    let case_line = |n: String, p: &PlannedItem, mark: Option<&str>| {
        let case = state.cases.get(&p.case);
        let why = p
            .reasons
            .iter()
            .map(|r| r.label(lang))
            .collect::<Vec<_>>()
            .join(", ");
        let why = match mark {
            Some(mark) => format!("{mark} {why}"),
            None => why,
        };
        let fixed: usize = cols.iter().map(|w| w + 1).sum();
        Line::from(vec![
            Span::raw(cell(&n, cols[0])),
            Span::raw(cell(&p.case.to_string(), cols[1])),
            Span::raw(cell(
                &case.map_or("-".into(), |c| student_name(app, c, false)),
                cols[2],
            )),
            case.map_or(Span::raw(cell("-", cols[3])), |c| {
                Span::styled(
                    cell(c.level.short(lang), cols[3]),
                    level_style(theme, c.level),
                )
            }),
            Span::raw(cell(&format!("{}′", p.budget_minutes), cols[4])),
            Span::raw(pad(&why, width.saturating_sub(fixed))),
        ])
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    for (n, item) in conf.agenda.iter().enumerate() {
        let planned = PlannedItem {
            case: item.case,
            reasons: item.reasons.clone(),
            budget_minutes: item.budget_minutes,
        };
        let mark = if conf.state == ConferenceState::Running {
            if n == conf.current {
                Some("▶")
            } else if item.deferred {
                Some("↷")
            } else if item.touched() {
                Some("✓")
            } else {
                None
            }
        } else {
            None
        };
        let line = case_line((n + 1).to_string(), &planned, mark);
        if n == sel {
            selected_line = lines.len();
        }
        lines.push(if n == sel && focused {
            line.style(theme.selected())
        } else {
            line
        });
    }
    if !also.is_empty() {
        let key = first_key(app, Do::AddEntry).unwrap_or_default();
        let text = match lang {
            Lang::Ko => format!(
                "── 이번 안건에 없는 기한 도래 사례 {}건 · {key}: 안건에 추가 ",
                also.len()
            ),
            Lang::En => format!(
                "── also due, not on this agenda: {} · {key}: add ",
                also.len()
            ),
        };
        let fill = width.saturating_sub(crate::cells::width(&text));
        lines.push(Line::styled(
            truncate(&format!("{text}{}", "─".repeat(fill)), width),
            theme.dim(),
        ));
        for (i, p) in also.iter().enumerate() {
            let n = conf.agenda.len() + i;
            let line = case_line("+".into(), p, None);
            if n == sel {
                selected_line = lines.len();
            }
            lines.push(if n == sel && focused {
                line.style(theme.selected())
            } else {
                line.style(theme.dim())
            });
        }
    }
    let height = usize::from(area.height.saturating_sub(1));
    let window = page_window(selected_line, lines.len(), height);
    let count = window.len();
    let mut shown = vec![Line::styled(truncate(&head_text, width), theme.title())];
    shown.extend(lines.into_iter().skip(window.start).take(count));
    frame.render_widget(Paragraph::new(shown), area);
}

/// The width of a case number's column: `2026-0001` (wider numbers are the other change's).
const CASE_WIDTH: u16 = 9;

/// The attendance: who, as what, and whether they are there.
fn attendance(
    app: &App,
    state: &State,
    conf: &Conference,
    focused: bool,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.session.lang;
    let present = conf.attendees.iter().filter(|a| a.present()).count();
    let outer = block(
        match lang {
            Lang::Ko => format!(" 참석 {present}/{} ", conf.attendees.len()),
            Lang::En => format!(" Present {present}/{} ", conf.attendees.len()),
        },
        focused,
        theme,
    );
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    if conf.attendees.is_empty() {
        frame.render_widget(
            Paragraph::new(lang.pick("참석자가 없습니다", "No attendees yet")).style(theme.dim()),
            inner,
        );
        return;
    }
    let sel = app.screens.conference.prepare.attend_sel;
    let window = page_window(sel, conf.attendees.len(), usize::from(inner.height));
    let lines: Vec<Line> = conf
        .attendees
        .get(window.clone())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mark = match a.status {
                Presence::Present => "[✓] ",
                Presence::Absent => "[ ] ",
                Presence::Late => lang.pick("[지각] ", "[late] "),
                Presence::LeftEarly => lang.pick("[조퇴] ", "[left] "),
            };
            let text = format!("{mark}{}", state.attendee_label(a, lang));
            let line = Line::from(truncate(&text, usize::from(inner.width)));
            if window.start + i == sel && focused {
                line.style(theme.selected())
            } else if a.present() {
                line
            } else {
                line.style(theme.dim())
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
