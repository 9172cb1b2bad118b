//! The case screen: every field, all actions, and the timeline (`case_timeline`); a case
//! merged into another says so and where it went. Pure drawing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::rows::lateness;
use super::{Theme, block, level_style, student_name};
use crate::app::App;
use crate::app::screens::CasePane;
use crate::domain::vocab::ActionStatus;
use crate::domain::{Action, Case, State};
use crate::i18n::Lang;

/// Draws the case screen.
pub fn case(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.session.lang;
    let Some(view) = &app.screens.case.shown else {
        frame.render_widget(
            Paragraph::new(lang.pick("사례를 읽는 중…", "Reading the case…")),
            area,
        );
        return;
    };
    let Some(case) = state.cases.get(&view.number) else {
        frame.render_widget(
            Paragraph::new(crate::ui::messages::with_keys(
                lang.pick(
                    "이 사례는 더 이상 없습니다 (⟦back⟧)",
                    "This case no longer exists (⟦back⟧)",
                ),
                &app.session.keymap,
            )),
            area,
        );
        return;
    };
    // A case merged into another is only a pointer: it says so first, and where to go.
    let pointer = crate::app::screens::merged_pointer(state, Some(view));
    let area = match pointer {
        Some((_, into)) => {
            let [banner, rest] =
                Layout::vertical([Constraint::Length(4), Constraint::Min(0)]).areas(area);
            merged_banner(app, case, into, theme, frame, banner);
            rest
        }
        None => area,
    };
    let wide = area.width >= 110;
    let (fields_area, right) = if wide {
        let [f, r] = Layout::horizontal([Constraint::Length(46), Constraint::Min(40)]).areas(area);
        (f, r)
    } else {
        // As tall as the fields need, leaving room for the actions and the timeline.
        let need = fields_height(app, state, case, theme, area.width, false);
        let most = area.height.saturating_sub(8).max(4);
        let [f, r] =
            Layout::vertical([Constraint::Length(need.min(most)), Constraint::Min(6)]).areas(area);
        (f, r)
    };
    fields(app, state, case, theme, frame, fields_area, wide);
    let most = (right.height / 2).max(1);
    // An action with a result or progress takes a second line for it.
    let shown_text =
        |a: &Action, t: &str| state.case_text(Some(a.id.case), t, app.session.presentation);
    let follow: Vec<Option<String>> = view
        .actions
        .iter()
        .map(|a| {
            let line = a.follow_line(lang, |t| shown_text(a, t));
            match (&a.closed_by, line) {
                (Some(by), Some(line)) if !a.is_open() => Some(format!("{line} · {by}")),
                (Some(by), None) if !a.is_open() => Some(by.clone()),
                (_, line) => line,
            }
        })
        .collect();
    let lines_needed = view.actions.len() + follow.iter().flatten().count();
    let action_rows = (lines_needed as u16)
        .saturating_add(3)
        .min(most)
        .max(4.min(most));
    let [actions_area, timeline_area] =
        Layout::vertical([Constraint::Length(action_rows), Constraint::Min(3)]).areas(right);

    // Actions, finished ones too.
    let open = view.actions.iter().filter(|a| a.is_open()).count();
    let title = match lang {
        Lang::Ko => format!(" 조치사항 {}건 (진행 {open}) ", view.actions.len()),
        Lang::En => format!(" Actions: {} ({open} open) ", view.actions.len()),
    };
    let outer = block(title, view.pane == CasePane::Actions, theme);
    let inner = outer.inner(actions_area);
    frame.render_widget(outer, actions_area);
    if view.actions.is_empty() {
        let empty = match (pointer, lang) {
            (Some((_, into)), Lang::Ko) => {
                format!("조치는 {into}(으)로 옮겨졌습니다 (⟦open⟧: 열기)")
            }
            (Some((_, into)), Lang::En) => format!("Its actions moved to {into} (⟦open⟧: open it)"),
            (None, _) => lang
                .pick(
                    "조치가 없습니다. ⟦add_action⟧: 조치 추가",
                    "No actions yet. ⟦add_action⟧: add one",
                )
                .to_string(),
        };
        frame.render_widget(
            Paragraph::new(crate::ui::messages::with_keys(&empty, &app.session.keymap))
                .style(theme.dim()),
            inner,
        );
    } else {
        let heights: Vec<usize> = follow
            .iter()
            .map(|f| 1 + usize::from(f.is_some()))
            .collect();
        let window = line_window(view.action_sel, &heights, usize::from(inner.height));
        let rows: Vec<Row> = view
            .actions
            .get(window.clone())
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let late = a.is_overdue(app.session.today);
                let status = match a.status {
                    ActionStatus::Open if late => {
                        format!("! {}", lateness(a.due_on, app.session.today, lang))
                    }
                    ActionStatus::Open => a.status.label(lang).to_string(),
                    // Who finished it goes with its result, on the line under it.
                    _ => format!(
                        "{} {}",
                        a.status.label(lang),
                        a.closed_on
                            .map(|d| d.format("%m-%d").to_string())
                            .unwrap_or_default(),
                    ),
                };
                let style = if late {
                    theme.alert()
                } else if a.is_open() {
                    theme.text()
                } else {
                    theme.dim()
                };
                let under = follow.get(window.start + i).cloned().flatten();
                let row = Row::new(vec![
                    Cell::from(format!("{}", a.id.n)),
                    Cell::from(a.title.clone()),
                    Cell::from(state.owner_label(a.id.case, &a.team)),
                    Cell::from(a.person.clone().unwrap_or_default()),
                    Cell::from(crate::i18n::day(a.due_on, lang)),
                    Cell::from(Span::styled(status, style)),
                ])
                .height(if under.is_some() { 2 } else { 1 })
                .style(if a.is_open() {
                    theme.text()
                } else {
                    theme.dim()
                });
                if view.pane == CasePane::Actions && window.start + i == view.action_sel {
                    row.style(theme.selected())
                } else {
                    row
                }
            })
            .collect();
        // The action's number within the case, as wide as the widest (never cut).
        let n_width = view
            .actions
            .iter()
            .map(|a| a.id.n.to_string().len())
            .max()
            .unwrap_or(0)
            .max(3);
        let widths = [
            Constraint::Length(u16::try_from(n_width).unwrap_or(u16::MAX)),
            Constraint::Min(12),
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Length(16),
            Constraint::Length(12),
        ];
        frame.render_widget(Table::new(rows, widths).column_spacing(1), inner);
        // The result or latest progress goes on the row's second line, from the title's column
        // to the edge: a cell would cut it to the title's width.
        let mut y = inner.y;
        for i in window.clone() {
            if y >= inner.bottom() {
                break;
            }
            if let Some(Some(line)) = follow.get(i)
                && y + 1 < inner.bottom()
            {
                let area = Rect {
                    x: inner.x + 4,
                    y: y + 1,
                    width: inner.width.saturating_sub(4),
                    height: 1,
                };
                frame.render_widget(
                    Paragraph::new(Line::from(Span::styled(format!("↳ {line}"), theme.dim()))),
                    area,
                );
            }
            y = y.saturating_add(u16::try_from(heights.get(i).copied().unwrap_or(1)).unwrap_or(1));
        }
    }

    super::case_timeline::timeline(app, state, case, view, theme, frame, timeline_area);
}

/// The banner over a case merged into another: it is only a pointer, and the key that goes to
/// the case it lives on.
fn merged_banner(
    app: &App,
    case: &Case,
    into: crate::domain::CaseNumber,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lang = app.session.lang;
    let number = case.number;
    // The key first: a narrow terminal cuts the end of the second line.
    let (head, rest) = match lang {
        Lang::Ko => (
            format!("⇒ {number}은(는) {into}에 병합되었습니다 · ⟦open⟧: {into} 열기"),
            format!("조치·기록·안건은 이제 {into}에 있습니다 (이 사례에는 기록하지 않습니다)"),
        ),
        Lang::En => (
            format!("⇒ {number} was merged into {into} · ⟦open⟧: open {into}"),
            format!("Its actions, notes and agenda items are on {into} now."),
        ),
    };
    let outer = ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::ALL)
        .border_style(theme.alert());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(
                crate::ui::messages::with_keys(&head, &app.session.keymap),
                theme.alert().add_modifier(ratatui::style::Modifier::BOLD),
            )),
            Line::from(rest),
        ])
        .wrap(Wrap { trim: true }),
        inner,
    );
}

/// The case's fields as lines: short ones (two columns fit when narrow) and long ones (teams,
/// domains, summary), which get the whole width and wrap.
fn field_lines(
    app: &App,
    state: &State,
    case: &Case,
    theme: Theme,
) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let lang = app.session.lang;
    let team = |code: &crate::domain::TeamCode| {
        state
            .team(code)
            .map_or(code.to_string(), |t| format!("{} {}", t.code, t.name(lang)))
    };
    let label = |ko: &'static str, en: &'static str| {
        Span::styled(
            format!("{} ", crate::cells::pad(lang.pick(ko, en), 9)),
            theme.dim(),
        )
    };
    let grade = match (lang, case.grade.class) {
        (Lang::Ko, Some(c)) => format!("{}학년 {c}반", case.grade.year),
        (Lang::Ko, None) => format!("{}학년", case.grade.year),
        (Lang::En, Some(c)) => format!("grade {}, class {c}", case.grade.year),
        (Lang::En, None) => format!("grade {}", case.grade.year),
    };
    let mut student = Vec::new();
    if let Some(sex) = case.student.sex {
        student.push(sex.label(lang).to_string());
    }
    if let Some(birth) = case.student.birth_on {
        use chrono::Datelike;
        student.push(if app.session.presentation {
            format!("{}-**-**", birth.year())
        } else {
            birth.to_string()
        });
    }
    let domains: Vec<String> = case.domain_labels(lang);
    let consent = case.consent_label(lang);
    let mut flags = Vec::new();
    if case.urgent {
        flags.push(lang.pick("긴급", "URGENT"));
    }
    if case.safety {
        flags.push(lang.pick("안전", "SAFETY"));
    }
    let school = Line::from(vec![
        label("학교", "School"),
        Span::raw(format!("{} {grade}", case.school)),
    ]);
    let who = Line::from(vec![
        label("학생", "Student"),
        Span::raw(if student.is_empty() {
            "-".into()
        } else {
            student.join(", ")
        }),
    ]);
    let level = Line::from(vec![
        label("위기·단계", "Level"),
        Span::styled(case.level.label(lang), level_style(theme, case.level)),
        Span::raw(format!(" · {}", case.stage.label(lang))),
    ]);
    let lead = Line::from(vec![
        label("주관", "Lead"),
        Span::raw(format!(
            "{}{}",
            team(&case.lead_team),
            case.lead_person
                .as_ref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default()
        )),
    ]);
    let review = Line::from(vec![
        label("점검일", "Review"),
        Span::raw(
            case.review_on
                .map(|d| crate::i18n::day(d, lang))
                .unwrap_or_else(|| "-".into()),
        ),
    ]);
    let referred = Line::from(vec![
        label("의뢰", "Referred"),
        Span::raw(format!(
            "{} {}",
            case.referred_on,
            case.referral_source.clone().unwrap_or_default()
        )),
    ]);
    let opened = Line::from(vec![
        label("등록", "Opened"),
        Span::raw(format!(
            "{} {}",
            case.opened_at.format("%Y-%m-%d"),
            case.opened_by
        )),
    ]);
    let mut short = vec![school, who, level, review, referred, opened];
    if let Some(closed) = case.closed_on {
        short.push(Line::from(vec![
            label("종결", "Closed"),
            Span::raw(closed.to_string()),
        ]));
    }
    if !flags.is_empty() {
        short.push(Line::from(vec![
            label("표시", "Flags"),
            Span::styled(flags.join(", "), theme.alert()),
        ]));
    }
    let mut long = vec![
        lead,
        Line::from(vec![
            label("협력", "Co-op"),
            Span::raw(if case.co_teams.is_empty() {
                "-".to_string()
            } else {
                case.co_teams
                    .iter()
                    .map(team)
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        ]),
        Line::from(vec![
            label("영역", "Domains"),
            Span::raw(if domains.is_empty() {
                "-".into()
            } else {
                domains.join(", ")
            }),
        ]),
        consent_line(
            state,
            case,
            app.session.today,
            theme,
            lang,
            label("동의", "Consent"),
            consent,
        ),
    ];
    if !case.summary.is_empty() {
        long.push(Line::from(vec![
            label("요약", "Summary"),
            Span::raw(case.summary.clone()),
        ]));
    }
    let merged = state.merged_into(case.number);
    if !merged.is_empty() {
        // The cases merged into this one (their actions are here now, their notes below).
        long.push(Line::from(vec![
            label("병합됨", "Merged in"),
            Span::raw(
                merged
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ]));
    }
    if !case.background.is_empty() {
        long.push(Line::from(vec![
            label("배경", "Backgr."),
            Span::raw(case.background.join(", ")),
        ]));
    }
    (short, long)
}

/// Rows a line takes when wrapped in `width` cells.
fn wrapped_rows(line: &Line, width: u16) -> u16 {
    let w = line.width().max(1);
    u16::try_from(w.div_ceil(usize::from(width.max(1)))).unwrap_or(u16::MAX)
}

/// Rows the fields need at `width` (borders included): all in one column when wide, short
/// ones in two columns and long ones across when narrow.
fn fields_height(
    app: &App,
    state: &State,
    case: &Case,
    theme: Theme,
    width: u16,
    wide: bool,
) -> u16 {
    let (short, long) = field_lines(app, state, case, theme);
    let inner = width.saturating_sub(2);
    let long_rows: u16 = long.iter().map(|l| wrapped_rows(l, inner)).sum();
    if wide {
        let short_rows: u16 = short.iter().map(|l| wrapped_rows(l, inner)).sum();
        return short_rows + long_rows + 2;
    }
    u16::try_from(short.len().div_ceil(2)).unwrap_or(u16::MAX) + long_rows + 2
}

fn fields(
    app: &App,
    state: &State,
    case: &Case,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
    wide: bool,
) {
    let title = format!(" {} {} ", case.number, student_name(app, case, true));
    let outer = block(title, false, theme);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let (short, long) = field_lines(app, state, case, theme);
    if wide {
        let lines: Vec<Line> = short.into_iter().chain(long).collect();
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    }
    // Narrow: short fields side by side in two columns (a gap between them), long ones across.
    let rows = u16::try_from(short.len().div_ceil(2))
        .unwrap_or(u16::MAX)
        .min(inner.height);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(inner);
    let [left, _, right] = Layout::horizontal([
        Constraint::Percentage(50),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(top);
    let mut short = short;
    let rest = short.split_off(short.len().div_ceil(2));
    frame.render_widget(Paragraph::new(short), left);
    frame.render_widget(Paragraph::new(rest), right);
    frame.render_widget(Paragraph::new(long).wrap(Wrap { trim: false }), bottom);
}

/// The rows of a list whose rows are `heights` lines tall that fit in `height` lines with
/// `selected` among them: whole pages from the top, as `page_window` does for one-line rows.
fn line_window(selected: usize, heights: &[usize], height: usize) -> std::ops::Range<usize> {
    let len = heights.len();
    if height == 0 || len == 0 {
        return 0..0;
    }
    let selected = selected.min(len - 1);
    let mut start = 0;
    loop {
        let mut used = 0;
        let mut end = start;
        while end < len {
            let h = heights.get(end).copied().unwrap_or(1);
            if used + h > height && end > start {
                break;
            }
            used += h;
            end += 1;
        }
        if selected < end || end >= len {
            return start..end;
        }
        start = end;
    }
}

/// The consent line: what stands, and a warning naming the outside agencies that own an open
/// action without a consent to share with them.
pub(crate) fn consent_line<'a>(
    state: &State,
    case: &Case,
    today: chrono::NaiveDate,
    theme: Theme,
    lang: Lang,
    label: Span<'a>,
    consent: String,
) -> Line<'a> {
    let missing = state.unconsented_agencies(case.number, today);
    let mut spans = vec![label, Span::raw(consent)];
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(ToString::to_string).collect();
        spans.push(Span::styled(
            format!(
                "  ⚠ {} {}",
                lang.pick("동의 없이 제공:", "shared without consent:"),
                names.join(", ")
            ),
            theme.warn(),
        ));
    }
    Line::from(spans)
}
