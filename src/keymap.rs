//! The keymap: which key does what in which context, read from the shipped TOML keymaps and the user's own file, with exact file:line errors; no store, app or terminal IO — only reading the user's keymap file at the path it is given.
//!
//! A keymap is a set of [`Action`]s, each in one [`Context`], each bound to zero or more
//! [`Key`]s. Two keymaps ship inside the binary (`keymaps/default.toml` and `keymaps/fkeys.toml`);
//! a user's `keymap.toml` starts from one of them (`base = "fkeys"`, default otherwise) and replaces
//! the keys of single actions. Within one context a key may do only one thing; a context binding
//! may shadow a global one (form `cancel` over global `back` on `Esc`).
//!
//! Korean input: in 두벌식 Hangul mode a shortcut key arrives as a jamo (ㅓ for j). Callers turn
//! such events into the Latin key with [`latin_key`] before [`Keymap::action`] — outside text
//! fields only, so that Korean can still be typed into them.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use unicode_width::UnicodeWidthStr;

use crate::i18n::{Lang, Localize};

/// The shipped keymaps: name, the file name used in messages, and the text.
const SHIPPED: &[(&str, &str, &str)] = &[
    (
        "default",
        "keymaps/default.toml",
        include_str!("../keymaps/default.toml"),
    ),
    (
        "fkeys",
        "keymaps/fkeys.toml",
        include_str!("../keymaps/fkeys.toml"),
    ),
];

/// The names of the shipped keymaps, in the order they are offered.
pub fn shipped_names() -> impl Iterator<Item = &'static str> {
    SHIPPED.iter().map(|(name, _, _)| *name)
}

// ---------------------------------------------------------------------------------------------
// Contexts and actions
// ---------------------------------------------------------------------------------------------

/// Where a key is pressed; each is a table in a keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// `[global]`: everywhere, after the more specific contexts.
    Global,
    /// `[list]`: tables and lists.
    List,
    /// `[calendar]`: the month calendar.
    Calendar,
    /// `[agenda]`: preparing a conference (agenda and attendance).
    Agenda,
    /// `[conference]`: running a conference.
    Meeting,
    /// `[form]`: forms with text fields.
    Form,
    /// `[prompt]`: the filter and palette input lines.
    Prompt,
    /// `[confirm]`: yes/no questions.
    Confirm,
}

impl Context {
    /// Every context, in the order of the keymap files and the help screen.
    pub const ALL: [Context; 8] = [
        Context::Global,
        Context::List,
        Context::Calendar,
        Context::Agenda,
        Context::Meeting,
        Context::Form,
        Context::Prompt,
        Context::Confirm,
    ];

    /// The table name in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Calendar => "calendar",
            Context::Agenda => "agenda",
            Context::Meeting => "conference",
            Context::Form => "form",
            Context::Prompt => "prompt",
            Context::Confirm => "confirm",
        }
    }

    /// The context whose table is called `name`.
    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// A short title for the help screen.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Context::Global => lang.pick("어디서나", "Everywhere"),
            Context::List => lang.pick("목록", "Lists"),
            Context::Calendar => lang.pick("달력", "Calendar"),
            Context::Agenda => lang.pick(
                "사례회의 준비 (안건·참석)",
                "Preparing a conference (agenda, attendance)",
            ),
            Context::Meeting => lang.pick("사례회의 진행", "Running a conference"),
            Context::Form => lang.pick("입력 양식", "Forms"),
            Context::Prompt => lang.pick("필터·명령 입력줄", "Filter and palette line"),
            Context::Confirm => lang.pick("예/아니요 질문", "Yes/no questions"),
        }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.name())
    }
}

impl Localize for Context {
    fn localize(&self, lang: Lang) -> String {
        self.title(lang).to_string()
    }
}

macro_rules! actions {
    ($( $ctx:ident { $( $variant:ident = $name:literal, $ko:literal, $en:literal; )* } )*) => {
        /// Something a key can do. Its snake_case [`name`](Action::name) is what keymap files use.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($(
                #[doc = $en]
                $variant,
            )*)*
        }

        impl Action {
            /// Every action, grouped by context in the order of [`Context::ALL`].
            pub const ALL: &'static [Action] = &[$($(Action::$variant,)*)*];

            /// The snake_case name used in keymap files and the palette.
            pub fn name(self) -> &'static str {
                match self { $($(Action::$variant => $name,)*)* }
            }

            /// The context (keymap table) this action belongs to.
            pub fn context(self) -> Context {
                match self { $($(Action::$variant => Context::$ctx,)*)* }
            }

            /// A short description for the help screen and the palette.
            pub fn description(self, lang: Lang) -> &'static str {
                match self { $($(Action::$variant => lang.pick($ko, $en),)*)* }
            }
        }
    };
}

actions! {
    Global {
        Quit = "quit", "끝내기", "Quit";
        Help = "help", "도움말: 지금 쓰는 키", "Help: the keys in force";
        Filter = "filter", "목록 거르기", "Filter the list";
        Palette = "palette", "명령 팔레트", "Command palette";
        NextScreen = "next_screen", "다음 화면", "Next screen";
        PrevScreen = "prev_screen", "이전 화면", "Previous screen";
        ScreenDashboard = "screen_dashboard", "대시보드 화면", "Dashboard screen";
        ScreenByTeam = "screen_by_team", "부서별 화면", "By team screen";
        ScreenDue = "screen_due", "기한 화면", "Due screen";
        ScreenConferences = "screen_conferences", "사례회의 화면", "Conferences screen";
        Back = "back", "뒤로", "Back";
        NewCase = "new_case", "새 사례", "New case";
        NewConference = "new_conference", "새 사례회의 준비 (진행 중이면 그 회의로)", "Prepare a new conference (or go to the running one)";
        Presentation = "presentation", "발표 모드 켜기/끄기 (이름 가림)", "Presentation mode on/off (hides names)";
        Undo = "undo", "마지막 변경 되돌리기 (먼저 물어봄)", "Undo the last change (asks first)";
        ScreenStats = "screen_stats", "월간 통계 화면 (←/→ 달 바꾸기)", "Monthly statistics screen (←/→ month)";
        AddTeam = "add_team", "부서·기관 추가 (외부 기관 포함)", "Add a team or agency (outside ones too)";
        WriteMinutes = "write_minutes", "열린 사례회의의 회의록 쓰기 (HTML 파일)", "Write the open conference's minutes (an HTML file)";
    }
    List {
        MoveDown = "move_down", "아래로", "Move down";
        MoveUp = "move_up", "위로", "Move up";
        First = "first", "맨 위로", "First row";
        Last = "last", "맨 아래로", "Last row";
        PageDown = "page_down", "한 쪽 아래로", "Page down";
        PageUp = "page_up", "한 쪽 위로", "Page up";
        Open = "open", "열기", "Open";
        AddAction = "add_action", "조치 추가", "Add an action";
        Edit = "edit", "고르고 있는 것 고치기 (조치 또는 사례)", "Edit what is selected (action or case)";
        EditCase = "edit_case", "사례 고치기 (주관·협력·위기·단계·점검일)", "Edit the case (teams, level, stage, review)";
        Consent = "consent", "보호자 동의: 기록·철회 (수집·이용, 제3자 제공)", "Guardian consent: record or withdraw (collection, sharing)";
        ActionDone = "action_done", "조치 완료", "Mark the action done";
        ActionDrop = "action_drop", "조치 취소", "Drop the action";
        ActionNote = "action_note", "조치 경과 기록 (닫지 않음)", "Record progress on the action (keeps it open)";
        ActionSession = "action_session", "회기 진행·결석 기록 (반복 조치)", "Record a session held or missed (recurring work)";
        ActionReferral = "action_referral", "의뢰 상태 기록 (수락·진행 중·완료·거절)", "Record the referral's status (accepted, in progress, finished, declined)";
        AddNote = "add_note", "기록 추가", "Add a note";
        Sort = "sort", "정렬 바꾸기", "Change the sort";
        PaneNext = "pane_next", "다음 칸", "Next pane";
        PanePrev = "pane_prev", "이전 칸", "Previous pane";
        FollowConference = "follow_conference", "진행 중인 사례회의 따라보기 (읽기 전용)", "Follow the running conference (read-only)";
        MergeCase = "merge_case", "같은 학생의 다른 사례를 이 사례에 병합 (먼저 물어봄)", "Merge another case of the same student into this one (asks first)";
    }
    Calendar {
        DayNext = "day_next", "다음 날", "Next day";
        DayPrev = "day_prev", "전날", "Previous day";
        WeekNext = "week_next", "다음 주", "Next week";
        WeekPrev = "week_prev", "지난주", "Previous week";
        MonthNext = "month_next", "다음 달", "Next month";
        MonthPrev = "month_prev", "지난달", "Previous month";
        GoToday = "go_today", "오늘로", "Go to today";
    }
    Agenda {
        ItemUp = "item_up", "안건을 위로 옮기기", "Move the agenda item up";
        ItemDown = "item_down", "안건을 아래로 옮기기", "Move the agenda item down";
        AddEntry = "add_entry", "안건(사례) 또는 참석자 추가", "Add a case to the agenda, or an attendee";
        RemoveEntry = "remove_entry", "안건 또는 참석자 빼기", "Remove the agenda item or attendee";
        BudgetMore = "budget_more", "배정 시간 5분 늘리기", "Give the item 5 more minutes";
        BudgetLess = "budget_less", "배정 시간 5분 줄이기", "Give the item 5 fewer minutes";
        TogglePresent = "toggle_present", "참석·불참 바꾸기", "Mark present or absent";
        AttendanceTiming = "attendance_timing", "지각·조퇴 표시 (참석 → 지각 → 조퇴)", "Mark late or left early (present → late → left early)";
        AllPresent = "all_present", "불참으로 된 참석자 모두 참석으로", "Mark everyone still absent present";
        AddAgency = "add_agency", "새 기관의 참석자 추가 (기관도 등록)", "Add someone from a new agency (the agency is registered too)";
        DeferEntry = "defer_entry", "고른 안건을 다음 회의로 보류 (회의 중)", "Defer the selected item to the next conference (while it runs)";
        EditDetails = "edit_details", "회의 정보 고치기 (날짜·제목·종류·진행)", "Edit date, title, kind, facilitator";
        StartConference = "start_conference", "회의 시작 (먼저 물어봄)", "Start the conference (asks first)";
        Amend = "amend", "끝난 회의에 정정 기록 덧붙이기", "Add a correction to a closed conference";
    }
    Meeting {
        Decision = "decision", "결정사항 기록", "Record a decision";
        MeetingAction = "meeting_action", "조치 추가 (담당·기한)", "Add an action (owner, due date)";
        SetReview = "set_review", "다음 점검일 정하기", "Set the next review date";
        SetLevel = "set_level", "위기 수준 바꾸기", "Change the crisis level";
        SetStage = "set_stage", "단계 바꾸기", "Change the stage";
        DeferItem = "defer_item", "다음 회의로 보류하고 넘어가기", "Defer to the next conference and move on";
        ItemNext = "item_next", "다음 안건", "Next agenda item";
        ItemPrev = "item_prev", "이전 안건", "Previous agenda item";
        OpenItemCase = "open_item_case", "이 사례 전체 보기", "Open this case in full";
        AddItem = "add_item", "안건 추가 (회의 중 급한 사례)", "Add a case to the agenda (something urgent)";
        Arrange = "arrange", "회의 중 안건 순서·빼기·보류와 참석 고치기 (Esc: 돌아가기)", "Rearrange the agenda and attendance while it runs (Esc: back)";
        CloseConference = "close_conference", "회의 마치기 (먼저 물어봄)", "Close the conference (asks first)";
        MeetingConsent = "meeting_consent", "이 사례의 보호자 동의: 기록·철회", "This case's guardian consent: record or withdraw";
    }
    Form {
        Save = "save", "저장", "Save";
        NextField = "next_field", "다음 항목", "Next field";
        PrevField = "prev_field", "이전 항목", "Previous field";
        Cancel = "cancel", "취소 (저장하지 않음)", "Cancel (nothing saved)";
        OptionNext = "option_next", "다음 선택지", "Next choice";
        OptionPrev = "option_prev", "이전 선택지", "Previous choice";
        Newline = "newline", "줄 바꿈 (글 칸에서)", "New line (in a text field)";
    }
    Prompt {
        Accept = "accept", "확정·실행", "Accept or run";
        Dismiss = "dismiss", "닫기", "Close";
        SelectNext = "select_next", "다음 후보", "Next suggestion";
        SelectPrev = "select_prev", "이전 후보", "Previous suggestion";
    }
    Confirm {
        Yes = "yes", "예", "Yes";
        No = "no", "아니요", "No";
    }
}

impl Action {
    /// The action called `name` in keymap files.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// The actions of one context, in file order.
    pub fn in_context(context: Context) -> impl Iterator<Item = Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(move |a| a.context() == context)
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Localize for Action {
    fn localize(&self, lang: Lang) -> String {
        self.description(lang).to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/// One key with its modifiers, as written in keymap files (`q`, `C-s`, `S-Tab`, `F5`).
///
/// Normalised: a character never carries SHIFT (the character's case says it: `G`), and
/// Shift-Tab is [`KeyCode::BackTab`] without SHIFT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl, Alt, and Shift for named keys.
    pub modifiers: KeyModifiers,
}

/// Key names accepted in files (matched case-insensitively), with their codes; the first
/// spelling of a code is the one [`Key`]'s `Display` writes.
const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Insert", KeyCode::Insert),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Space", KeyCode::Char(' ')),
];

/// The highest function key a file may name.
const MAX_F: u8 = 12;

impl Key {
    /// A key, normalised the way events are (see [`Key::from_event`]).
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let mut code = code;
        let mut modifiers = modifiers;
        match code {
            KeyCode::Char(c) => {
                if modifiers.contains(KeyModifiers::SHIFT) {
                    let mut upper = c.to_uppercase();
                    if let (Some(u), None) = (upper.next(), upper.next()) {
                        code = KeyCode::Char(u);
                    }
                }
                modifiers.remove(KeyModifiers::SHIFT);
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                code = KeyCode::BackTab;
                modifiers.remove(KeyModifiers::SHIFT);
            }
            KeyCode::BackTab => modifiers.remove(KeyModifiers::SHIFT),
            _ => {}
        }
        Key { code, modifiers }
    }

    /// The key of a terminal event, normalised so it compares equal to the key written in a
    /// file: crossterm sends `G` as `Char('G')` with SHIFT (and some terminals `Char('g')` with
    /// SHIFT), Shift-Tab as `BackTab` with SHIFT; all of these become the plain `G` / `BackTab`.
    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// Whether a terminal event is this key (press or repeat; releases never match).
    pub fn matches(&self, event: &KeyEvent) -> bool {
        event.kind != KeyEventKind::Release
            && Key::new(self.code, self.modifiers) == Key::from_event(event)
    }

    /// True when the key can be pressed with the input method in 두벌식 Hangul mode: named keys
    /// and Ctrl/Alt combinations arrive as they are, a letter arrives as its jamo (which
    /// [`latin_key`] turns back) — but a capital without a jamo of its own (`C`, `A`, `N`, …)
    /// arrives unshifted, as the small letter, and never as itself.
    pub fn arrives_in_hangul_mode(&self) -> bool {
        match self.code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => {
                self.modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    || DUBEOLSIK.iter().any(|(_, latin)| *latin == c)
            }
            _ => true,
        }
    }

    /// True for a character typed without Ctrl or Alt (text, not a shortcut).
    pub fn is_plain_char(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// Reads a key as written in keymap files: one character (case-sensitive: `g` and `G`
    /// differ; any non-control character, `ㅂ` too), or a name (`Enter`, `PageDown`, `F5`, …;
    /// case-insensitive), after any of the prefixes `C-` (Ctrl), `M-`/`A-` (Alt) and `S-`
    /// (Shift; named keys only — `S-Tab` is `BackTab`). `None` when it is not a key.
    pub fn parse(text: &str) -> Option<Key> {
        let mut rest = text;
        let mut modifiers = KeyModifiers::NONE;
        loop {
            let mut chars = rest.chars();
            let (Some(prefix), Some('-')) = (chars.next(), chars.next()) else {
                break;
            };
            if chars.as_str().is_empty() {
                break;
            }
            let modifier = match prefix {
                'C' | 'c' => KeyModifiers::CONTROL,
                'M' | 'm' | 'A' | 'a' => KeyModifiers::ALT,
                'S' | 's' => KeyModifiers::SHIFT,
                _ => break,
            };
            if modifiers.contains(modifier) {
                return None;
            }
            modifiers |= modifier;
            rest = chars.as_str();
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => KeyCode::Char(c),
            (Some(_), Some(_)) => named_key(rest)?,
            _ => return None,
        };
        if modifiers.contains(KeyModifiers::SHIFT) {
            match code {
                KeyCode::Char(_) => return None,
                KeyCode::Tab | KeyCode::BackTab => {
                    modifiers.remove(KeyModifiers::SHIFT);
                    return Some(Key {
                        code: KeyCode::BackTab,
                        modifiers,
                    });
                }
                _ => {}
            }
        }
        Some(Key { code, modifiers })
    }
}

fn named_key(name: &str) -> Option<KeyCode> {
    if let Some((_, code)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Some(*code);
    }
    let digits = name.strip_prefix(['F', 'f'])?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u8 = digits.parse().ok()?;
    (1..=MAX_F).contains(&n).then_some(KeyCode::F(n))
}

impl fmt::Display for Key {
    /// Writes the key the way files spell it; the text reads back with [`Key::parse`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = Key::new(self.code, self.modifiers);
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("C-")?;
        }
        if key.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("M-")?;
        }
        if key.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("S-")?;
        }
        if let Some((name, _)) = NAMED.iter().find(|(_, code)| *code == key.code) {
            return f.write_str(name);
        }
        match key.code {
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Korean 2-set (두벌식) layout
// ---------------------------------------------------------------------------------------------

/// Compatibility jamo (U+3131..) and the Latin key at the same place on a 두벌식 keyboard.
const DUBEOLSIK: &[(char, char)] = &[
    ('ㅂ', 'q'),
    ('ㅈ', 'w'),
    ('ㄷ', 'e'),
    ('ㄱ', 'r'),
    ('ㅅ', 't'),
    ('ㅛ', 'y'),
    ('ㅕ', 'u'),
    ('ㅑ', 'i'),
    ('ㅐ', 'o'),
    ('ㅔ', 'p'),
    ('ㅁ', 'a'),
    ('ㄴ', 's'),
    ('ㅇ', 'd'),
    ('ㄹ', 'f'),
    ('ㅎ', 'g'),
    ('ㅗ', 'h'),
    ('ㅓ', 'j'),
    ('ㅏ', 'k'),
    ('ㅣ', 'l'),
    ('ㅋ', 'z'),
    ('ㅌ', 'x'),
    ('ㅊ', 'c'),
    ('ㅍ', 'v'),
    ('ㅠ', 'b'),
    ('ㅜ', 'n'),
    ('ㅡ', 'm'),
    ('ㅃ', 'Q'),
    ('ㅉ', 'W'),
    ('ㄸ', 'E'),
    ('ㄲ', 'R'),
    ('ㅆ', 'T'),
    ('ㅒ', 'O'),
    ('ㅖ', 'P'),
];

/// The conjoining jamo blocks (leading consonants U+1100.., vowels U+1161.., trailing consonants
/// U+11A8..) as the compatibility jamo they look like, in code point order.
const CHOSEONG: (u32, &str) = (0x1100, "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ");
const JUNGSEONG: (u32, &str) = (0x1161, "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ");
const JONGSEONG: (u32, &str) = (
    0x11A8,
    "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ",
);

/// The Latin key at the place of a Hangul jamo on a 두벌식 keyboard (ㅓ → `j`, ㅃ → `Q`), so
/// shortcuts work while the input method is in Hangul mode. Accepts the compatibility jamo
/// (U+3131..) that terminals send, and the conjoining forms (U+1100..) that map to one key;
/// jamo typed with two keys (ㅘ, ㄳ) and syllables (가) give `None`.
pub fn latin_for_jamo(c: char) -> Option<char> {
    let compat = [CHOSEONG, JUNGSEONG, JONGSEONG]
        .into_iter()
        .find_map(|(start, jamo)| {
            let offset = u32::from(c).checked_sub(start)?;
            jamo.chars().nth(usize::try_from(offset).ok()?)
        })
        .unwrap_or(c);
    DUBEOLSIK
        .iter()
        .find(|(jamo, _)| *jamo == compat)
        .map(|(_, latin)| *latin)
}

/// The event with a jamo character turned into its Latin key (modifiers, kind and state kept);
/// any other event unchanged. Use it outside text fields, before [`Keymap::action`].
pub fn latin_key(key: &KeyEvent) -> KeyEvent {
    match key.code {
        KeyCode::Char(c) => match latin_for_jamo(c) {
            Some(latin) => KeyEvent {
                code: KeyCode::Char(latin),
                ..*key
            },
            None => *key,
        },
        _ => *key,
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a keymap file cannot be used: where (file, 1-based line, 0 if unknown) and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct KeymapError {
    /// The file, as given (a path, or `keymaps/default.toml` for a shipped keymap).
    pub file: String,
    /// The 1-based line, or 0 when the problem is not on one line.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub reason: String,
}

/// A place in a keymap file: the file's index among the files being merged, and a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    file: usize,
    offset: usize,
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + text
        .as_bytes()
        .iter()
        .take(end)
        .filter(|b| **b == b'\n')
        .count()
}

fn context_list() -> String {
    let names: Vec<String> = Context::ALL.iter().map(|c| c.to_string()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

fn base_list() -> String {
    let names: Vec<String> = shipped_names().map(|n| format!("'{n}'")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The action name closest to `name` (distance at most 2 and less than its length), preferring
/// the table it was written in on a tie.
fn suggestion(name: &str, context: Context) -> Option<Action> {
    let len = name.chars().count();
    Action::ALL
        .iter()
        .map(|a| {
            // Optimal string alignment: Levenshtein plus adjacent transpositions (`qiut`).
            let distance = strsim::osa_distance(name, a.name());
            (distance, a.context() != context, *a)
        })
        .filter(|(d, _, _)| *d <= 2 && *d < len)
        .min()
        .map(|(_, _, a)| a)
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/// One key of an entry, with the line it was written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAt {
    /// The key.
    pub key: Key,
    /// 1-based line in the file.
    pub line: usize,
    offset: usize,
}

/// One `action = [keys]` line of a keymap file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The action.
    pub action: Action,
    /// Its keys in the order written (repeats removed); empty unbinds the action.
    pub keys: Vec<KeyAt>,
    /// 1-based line of the action name.
    pub line: usize,
}

/// A parsed keymap file, before it is merged over its base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapFile {
    /// The file name used in errors.
    pub origin: String,
    /// The shipped keymap it starts from, when it says (`base = "fkeys"`).
    pub base: Option<String>,
    /// Its entries in file order.
    pub entries: Vec<Entry>,
}

fn by_position<'a, 'i>(
    table: &'a DeTable<'i>,
) -> Vec<(
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

fn parse_file(origin: &str, text: &str) -> Result<KeymapFile, KeymapError> {
    let error = |offset: usize, reason: String| KeymapError {
        file: origin.to_string(),
        line: line_of(text, offset),
        reason,
    };
    let document = DeTable::parse(text).map_err(|e| {
        let message = e
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        let at = e
            .span()
            .and_then(|s| text.get(s))
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.chars().count() <= 40 && !s.contains('\n'))
            .map(|s| format!(" (at '{s}')"))
            .unwrap_or_default();
        KeymapError {
            file: origin.to_string(),
            line: e.span().map_or(0, |s| line_of(text, s.start)),
            reason: format!("not valid TOML: {message}{at}"),
        }
    })?;
    let mut file = KeymapFile {
        origin: origin.to_string(),
        base: None,
        entries: Vec::new(),
    };
    for (name, value) in by_position(document.get_ref()) {
        let name_at = name.span().start;
        let name = name.get_ref().as_ref();
        if name == "base" {
            let base = match value.get_ref() {
                DeValue::String(s) => s.to_string(),
                _ => {
                    return Err(error(
                        value.span().start,
                        format!("'base' must be a string: use {}", base_list()),
                    ));
                }
            };
            if !shipped_names().any(|n| n == base) {
                return Err(error(
                    value.span().start,
                    format!("unknown base keymap '{base}': use {}", base_list()),
                ));
            }
            file.base = Some(base);
            continue;
        }
        let Some(context) = Context::from_name(name) else {
            let reason = if let Some(action) = Action::from_name(name) {
                format!(
                    "'{name}' belongs in {}, not at the top of the file",
                    action.context()
                )
            } else if matches!(value.get_ref(), DeValue::Table(_)) {
                format!("unknown section [{name}]: use {}", context_list())
            } else {
                format!(
                    "unknown setting '{name}': only base = \"…\" and the sections {} may be at the top of the file",
                    context_list()
                )
            };
            return Err(error(name_at, reason));
        };
        let DeValue::Table(table) = value.get_ref() else {
            return Err(error(
                name_at,
                format!("'{name}' must be a section: write [{name}] and the actions under it"),
            ));
        };
        for (action_name, keys) in by_position(table) {
            let action_at = action_name.span().start;
            let action_name = action_name.get_ref().as_ref();
            let Some(action) = Action::from_name(action_name) else {
                let hint = match suggestion(action_name, context) {
                    Some(a) => format!("did you mean '{a}'?"),
                    None => "see 'casedesk keys' for the names".to_string(),
                };
                return Err(error(
                    action_at,
                    format!("unknown action '{action_name}' in {context}; {hint}"),
                ));
            };
            if action.context() != context {
                return Err(error(
                    action_at,
                    format!(
                        "'{action_name}' belongs in {}, not {context}",
                        action.context()
                    ),
                ));
            }
            let type_error = |at: usize| {
                error(
                    at,
                    format!("the keys for '{action_name}' must be a string or a list of strings"),
                )
            };
            let written: Vec<(&str, usize)> = match keys.get_ref() {
                DeValue::String(s) => vec![(s.as_ref(), keys.span().start)],
                DeValue::Array(items) => items
                    .iter()
                    .map(|item| match item.get_ref() {
                        DeValue::String(s) => Ok((s.as_ref(), item.span().start)),
                        _ => Err(type_error(item.span().start)),
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err(type_error(keys.span().start)),
            };
            let mut entry = Entry {
                action,
                keys: Vec::new(),
                line: line_of(text, action_at),
            };
            for (written, offset) in written {
                let Some(key) = Key::parse(written) else {
                    return Err(error(
                        offset,
                        format!(
                            "cannot read the key '{written}': use a character or a name such as Enter, Esc, Tab, F5, with C-, M- or S- in front (C-s)"
                        ),
                    ));
                };
                if !entry.keys.iter().any(|k| k.key == key) {
                    entry.keys.push(KeyAt {
                        key,
                        line: line_of(text, offset),
                        offset,
                    });
                }
            }
            file.entries.push(entry);
        }
    }
    Ok(file)
}

// ---------------------------------------------------------------------------------------------
// The keymap
// ---------------------------------------------------------------------------------------------

/// One context's actions with their keys, as [`Keymap::bindings`] lists them.
pub type ContextBindings = (Context, Vec<(Action, Vec<Key>)>);

/// The keys in force: every action's keys, and the reverse lookup per context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// Keys per action, indexed by the action's position in [`Action::ALL`].
    keys: Vec<Vec<Key>>,
    lookup: HashMap<(Context, Key), Action>,
    /// The files this keymap was built from, base first.
    sources: Vec<String>,
}

/// The largest keymap file read (a complete one is a few kilobytes).
pub const MAX_KEYMAP_BYTES: u64 = 256 * 1024;

impl Keymap {
    /// The shipped keymap by name (`"default"`, `"fkeys"`).
    pub fn shipped(name: &str) -> Result<Keymap, KeymapError> {
        let file = shipped_file(name)?;
        Keymap::build(&[file])
    }

    /// Parses a keymap file's text; `origin` is the file name used in errors.
    pub fn parse(origin: &str, text: &str) -> Result<KeymapFile, KeymapError> {
        parse_file(origin, text)
    }

    /// What is in force: the user's file (if it exists) applied over its base (default unless
    /// it says `base = "fkeys"`). A user entry replaces the keys of that one action; everything
    /// else stays. A missing file means the defaults; an empty list unbinds the action.
    pub fn load(user_file: Option<&Path>) -> Result<Keymap, KeymapError> {
        let Some(path) = user_file else {
            return Keymap::shipped("default");
        };
        let origin = path.display().to_string();
        let bytes = match crate::fsio::read_bounded(path, MAX_KEYMAP_BYTES) {
            Ok(bytes) => bytes,
            Err(crate::fsio::ReadError::NotFound) => {
                return Keymap::shipped("default");
            }
            Err(e) => {
                return Err(KeymapError {
                    file: origin,
                    line: 0,
                    reason: format!(
                        "cannot read the keymap file: {}",
                        crate::i18n::Localize::localize(&e, crate::i18n::Lang::En)
                    ),
                });
            }
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(e.as_bytes().get(..offset).unwrap_or_default())
                .into_owned();
            KeymapError {
                file: origin.clone(),
                line: line_of(&valid, offset),
                reason: "the file is not UTF-8 text: save it as UTF-8".to_string(),
            }
        })?;
        Keymap::with_user(&origin, &text)
    }

    /// Like [`Keymap::load`] with the user's file already read: `origin` names it in errors.
    pub fn with_user(origin: &str, text: &str) -> Result<Keymap, KeymapError> {
        let user = parse_file(origin, text)?;
        let base = shipped_file(user.base.as_deref().unwrap_or("default"))?;
        Keymap::build(&[base, user])
    }

    /// Merges files in order (each entry replaces the keys of its action) and checks that no
    /// key does two things in one context; a conflict is reported at the later binding.
    pub fn build(files: &[KeymapFile]) -> Result<Keymap, KeymapError> {
        let mut placed: Vec<Vec<(Key, Place, usize)>> = vec![Vec::new(); Action::ALL.len()];
        for (index, file) in files.iter().enumerate() {
            for entry in &file.entries {
                let Some(slot) = placed.get_mut(entry.action.index()) else {
                    continue;
                };
                *slot = entry
                    .keys
                    .iter()
                    .map(|k| {
                        let place = Place {
                            file: index,
                            offset: k.offset,
                        };
                        (k.key, place, k.line)
                    })
                    .collect();
            }
        }
        let mut lookup = HashMap::new();
        for context in Context::ALL {
            let mut bindings: Vec<(Place, usize, Key, Action)> = Action::in_context(context)
                .flat_map(|action| {
                    placed
                        .get(action.index())
                        .into_iter()
                        .flatten()
                        .map(move |(key, place, line)| (*place, *line, *key, action))
                })
                .collect();
            bindings.sort_by_key(|(place, _, _, _)| *place);
            for (place, line, key, action) in bindings {
                // Forms and the filter line take typed text: a plain character bound there
                // could never be typed.
                if matches!(context, Context::Form | Context::Prompt) && key.is_plain_char() {
                    return Err(KeymapError {
                        file: files
                            .get(place.file)
                            .map(|f| f.origin.clone())
                            .unwrap_or_default(),
                        line,
                        reason: format!(
                            "'{key}' is a plain character: in {context} it could no longer be typed; use a C- or M- key or a named key"
                        ),
                    });
                }
                if let Some(earlier) = lookup.insert((context, key), action) {
                    return Err(KeymapError {
                        file: files
                            .get(place.file)
                            .map(|f| f.origin.clone())
                            .unwrap_or_default(),
                        line,
                        reason: format!(
                            "'{key}' is bound to both {earlier} and {action} in {context}"
                        ),
                    });
                }
            }
        }
        Ok(Keymap {
            keys: placed
                .into_iter()
                .map(|keys| keys.into_iter().map(|(key, _, _)| key).collect())
                .collect(),
            lookup,
            sources: files.iter().map(|f| f.origin.clone()).collect(),
        })
    }

    /// The action for a key event in the given contexts, most specific first (`[Form]`); the
    /// global context is consulted after them only when `with_global` is true, because text
    /// fields must receive plain characters such as `q`. Key releases give `None`. Jamo are not
    /// translated here: pass the event through [`latin_key`] first where shortcuts apply.
    pub fn action(
        &self,
        contexts: &[Context],
        key: &KeyEvent,
        with_global: bool,
    ) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let key = Key::from_event(key);
        contexts
            .iter()
            .copied()
            .chain(with_global.then_some(Context::Global))
            .find_map(|context| self.lookup.get(&(context, key)).copied())
    }

    /// The keys of one action (empty when unbound).
    pub fn keys(&self, action: Action) -> &[Key] {
        self.keys
            .get(action.index())
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Actions bound only to keys that cannot be pressed in Hangul input mode (capitals such
    /// as `C` with no jamo of their own): a keymap should give each a twin that can.
    pub fn unreachable_in_hangul_mode(&self) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|a| {
                let keys = self.keys(*a);
                !keys.is_empty() && !keys.iter().any(Key::arrives_in_hangul_mode)
            })
            .collect()
    }

    /// For each action with a key that does not arrive in Hangul input mode, that key and the
    /// one to use instead (`C` → `c`), for the help screen; `None` in place of a twin when the
    /// action has none.
    pub fn hangul_twins(&self) -> Vec<(Key, Option<Key>)> {
        Action::ALL
            .iter()
            .flat_map(|a| {
                let keys = self.keys(*a);
                let twin = keys.iter().copied().find(Key::arrives_in_hangul_mode);
                keys.iter()
                    .copied()
                    .filter(|k| !k.arrives_in_hangul_mode())
                    .map(move |k| (k, twin))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Actions with no key.
    pub fn unbound(&self) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|a| self.keys(*a).is_empty())
            .collect()
    }

    /// The files this keymap was built from, base first.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Every action with its keys in force (empty when unbound), grouped by context in the
    /// order of [`Context::ALL`] and [`Action::ALL`], for the help screen and `casedesk keys`.
    pub fn bindings(&self) -> Vec<ContextBindings> {
        Context::ALL
            .into_iter()
            .map(|context| {
                let actions = Action::in_context(context)
                    .map(|a| (a, self.keys(a).to_vec()))
                    .collect();
                (context, actions)
            })
            .collect()
    }

    /// The keymap in force as text (what `casedesk keys` prints), in `lang`: where it comes
    /// from, then per context a heading and `keys  action_name  description` lines.
    pub fn describe(&self, lang: Lang) -> String {
        let none = lang.pick("(없음)", "(none)");
        let bindings = self.bindings();
        let rows: Vec<Vec<(String, Action)>> = bindings
            .iter()
            .map(|(_, actions)| {
                actions
                    .iter()
                    .map(|(action, keys)| {
                        let keys = if keys.is_empty() {
                            none.to_string()
                        } else {
                            keys.iter()
                                .map(Key::to_string)
                                .collect::<Vec<_>>()
                                .join(" ")
                        };
                        (keys, *action)
                    })
                    .collect()
            })
            .collect();
        let key_width = rows
            .iter()
            .flatten()
            .map(|(keys, _)| keys.width())
            .max()
            .unwrap_or(0);
        let name_width = Action::ALL
            .iter()
            .map(|a| a.name().len())
            .max()
            .unwrap_or(0);
        let mut out = format!(
            "{}: {}\n",
            lang.pick("사용 중인 키맵", "Keymap in force"),
            self.sources.join(" + ")
        );
        for ((context, _), rows) in bindings.iter().zip(&rows) {
            out.push_str(&format!("\n{context} {}\n", context.title(lang)));
            for (keys, action) in rows {
                let pad = " ".repeat(key_width.saturating_sub(keys.width()));
                out.push_str(&format!(
                    "  {keys}{pad}  {:name_width$}  {}\n",
                    action.name(),
                    action.description(lang)
                ));
            }
        }
        out
    }
}

fn shipped_file(name: &str) -> Result<KeymapFile, KeymapError> {
    let Some((_, origin, text)) = SHIPPED.iter().find(|(n, _, _)| *n == name) else {
        return Err(KeymapError {
            file: "keymap".to_string(),
            line: 0,
            reason: format!("unknown base keymap '{name}': use {}", base_list()),
        });
    };
    let mut file = parse_file(origin, text)?;
    file.base = None;
    Ok(file)
}
