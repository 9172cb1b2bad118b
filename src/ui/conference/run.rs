//! The run screen, projected: the agenda with progress, the clock against the item's budget
//! (near and over it in words as well as colour), the case under discussion and what this
//! conference recorded on it. Pure drawing; the time comes from the app, never from a clock.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::record::{record_lines, since_last_lines};
use super::{clock, free, team_label};
use crate::app::App;
use crate::cells::{pad, truncate};
use crate::domain::model::AgendaItem;
use crate::domain::{Case, Conference, State};
use crate::i18n::Lang;
use crate::keymap::Action as Do;
use crate::ui::{Theme, block, first_key, level_style, page_window, short_day, student_name};

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
    if app.screens.conference.arrange {
        super::prepare::prepare(app, state, conf, theme, frame, area);
        return;
    }
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
    // The same marks the agenda on the left shows: ✓ discussed, ↷ deferred.
    let done = conf
        .agenda
        .iter()
        .filter(|i| i.touched() && !i.deferred)
        .count();
    let deferred = conf.agenda.iter().filter(|i| i.deferred).count();
    let total = conf.total_seconds(now) / 60;
    let deferred_text = match (lang, deferred) {
        (_, 0) => String::new(),
        (Lang::Ko, n) => format!(" · 보류 {n}건"),
        (Lang::En, n) => format!(" · {n} deferred"),
    };
    let mut spans = vec![
        Span::styled(format!(" #{} {} ", conf.id, conf.title), theme.title()),
        Span::raw(match lang {
            Lang::Ko => format!(
                "· 안건 {}/{} · 논의 {done}건{deferred_text} · 전체 {total}분/{}분",
                conf.current + 1,
                conf.agenda.len(),
                conf.budget_minutes()
            ),
            Lang::En => format!(
                "· item {}/{} · {done} discussed{deferred_text} · {total}/{} min",
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

    // The record is wrapped to the width it gets, so a long decision is read whole.
    let mut lines = record_lines(app, state, item, usize::from(main.width.saturating_sub(2)));
    let record_rows = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    // The record may take the room the case's facts can spare (they keep six rows), so a
    // long decision is not pushed off the top.
    let record_height = record_rows
        .min((main.height / 2).max(main.height.saturating_sub(12)))
        .max(4);
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
    let lines: Vec<Line> = conf
        .agenda
        .get(window.clone())
        .unwrap_or_default()
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
    // The flags come first: on the projector a safety concern is never cut off the line.
    let mut flags = String::new();
    if case.safety {
        flags.push_str(lang.pick("[안전 우려] ", "[SAFETY] "));
    }
    if case.urgent {
        flags.push_str(lang.pick("[긴급] ", "[URGENT] "));
    }
    let why = truncate(
        &format!(
            "   {} {}",
            lang.pick("사유:", "why:"),
            item.reasons_label(lang)
        ),
        room.saturating_sub(crate::cells::width(&head) + crate::cells::width(&flags)),
    );
    let mut lines = vec![
        Line::from(vec![
            Span::styled(flags, theme.alert()),
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
        fact("동의", "Consent", case.consent_label(lang)),
    ];
    // Actions with outside agencies that have no consent to share stand out in the meeting.
    let missing = state.unconsented_agencies(case.number, app.session.today);
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(ToString::to_string).collect();
        lines.push(Line::styled(
            truncate(
                &format!(
                    "⚠ {} {}",
                    lang.pick("제3자 제공 동의 없음:", "no consent to share:"),
                    names.join(", ")
                ),
                room,
            ),
            theme.warn(),
        ));
    }
    if !case.summary.is_empty() {
        // Free text: on the projected screen the student's name in it is masked too.
        lines.push(fact(
            "요약",
            "Summary",
            free(app, state, Some(case.number), &case.summary),
        ));
    }
    // Every open action of the case, those agreed here marked: the count is the list's length.
    let open: Vec<_> = state
        .actions_of(case.number)
        .filter(|a| a.is_open())
        .collect();
    let agreed_here = open.iter().filter(|a| item.actions.contains(&a.id)).count();
    lines.push(Line::styled(
        match (lang, agreed_here) {
            (Lang::Ko, 0) => format!("진행 중인 조치 {}건", open.len()),
            (Lang::Ko, n) => format!("진행 중인 조치 {}건 (이번 회의 {n}건 ★)", open.len()),
            (Lang::En, 0) => format!("Open actions: {}", open.len()),
            (Lang::En, n) => format!("Open actions: {} ({n} agreed here ★)", open.len()),
        },
        theme.title(),
    ));
    let past = state.past_items(case.number, (conf.date, conf.id));
    let last = past.first();
    let past_rows = last.map_or(0, |(_, i)| i.decisions.len().max(1) + 1);
    let since = since_last_lines(app, state, conf, case, theme, room);
    let rows_left = usize::from(inner.height)
        .saturating_sub(lines.len() + past_rows + since.len())
        .max(1);
    let shown = if open.len() > rows_left {
        rows_left.saturating_sub(1)
    } else {
        open.len()
    };
    let mut progress_shown = 0;
    for a in open.iter().take(shown) {
        let late = a.is_overdue(app.session.today);
        let here = item.actions.contains(&a.id);
        lines.push(Line::from(vec![
            Span::styled(
                match (late, here) {
                    (true, _) => " ! ",
                    (false, true) => " ★ ",
                    (false, false) => "   ",
                },
                theme.alert(),
            ),
            Span::styled(
                short_day(a.due_on, lang),
                if late { theme.alert() } else { theme.text() },
            ),
            Span::raw(format!(
                " {}",
                pad(&truncate(&state.owner_label(case.number, &a.team), 7), 7)
            )),
            Span::raw(free(app, state, Some(case.number), &a.title)),
        ]));
        // Its latest progress under it, while there is room for it.
        let spare = rows_left.saturating_sub(shown) > progress_shown;
        if let Some(line) = a
            .follow_line(lang, |t| free(app, state, Some(case.number), t))
            .filter(|_| spare)
        {
            progress_shown += 1;
            lines.push(Line::styled(
                truncate(&format!("     ↳ {line}"), room),
                theme.dim(),
            ));
        }
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
    lines.extend(since);
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
