//! The fixed vocabularies (crisis levels, stages, difficulty domains, …) with their codes and Korean and English names; pure, no IO.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// Folds a typed word for lookup: NFC, lower case, without spaces and the separators people vary
/// (`·`, `-`, `_`, `.`, `/`, `&`, `,`), so `high crisis`, `High-Crisis` and `high_crisis` all match.
pub fn fold(input: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    input
        .nfc()
        .flat_map(char::to_lowercase)
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(c, '·' | '-' | '_' | '.' | '/' | '&' | ',' | '・' | 'ㆍ')
        })
        .collect()
}

/// Like [`fold`] for text that is already NFC (everything stored is): lower case, without
/// spaces and separators, but without the cost of normalising again. For bulk search text.
pub fn fold_nfc(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        if c.is_ascii() {
            if !c.is_ascii_whitespace() && !matches!(c, '-' | '_' | '.' | '/' | '&' | ',') {
                out.push(c.to_ascii_lowercase());
            }
        } else if ('\u{ac00}'..='\u{d7a3}').contains(&c) {
            // Hangul syllables have no case: most of what is stored.
            out.push(c);
        } else if !c.is_whitespace() && !matches!(c, '·' | '・' | 'ㆍ') {
            out.extend(c.to_lowercase());
        }
    }
    out
}

macro_rules! vocab {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $ko:literal, $en:literal $(, $alias:literal)* ) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in JSON and on the command line.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Korean name.
            pub fn ko(self) -> &'static str {
                match self { $($name::$variant => $ko),+ }
            }

            /// The English name.
            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// The name in `lang`.
            pub fn label(self, lang: Lang) -> &'static str {
                lang.pick(self.ko(), self.en())
            }

            /// Reads the code, the Korean name, the English name or a known alias.
            pub fn parse(input: &str) -> Option<$name> {
                let wanted = fold(input);
                if wanted.is_empty() {
                    return None;
                }
                $(
                    if wanted == fold($code) || wanted == fold($ko) || wanted == fold($en)
                        $(|| wanted == fold($alias))* {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            /// The codes, for error messages.
            pub fn codes() -> String {
                [$($code),+].join(", ")
            }
        }
    };
}

vocab! {
    /// Crisis level (위기 수준), lowest to highest.
    Level {
        /// 관심
        Watch = ("watch", "관심", "watch"),
        /// 주의
        Caution = ("caution", "주의", "caution"),
        /// 위기
        Crisis = ("crisis", "위기", "crisis"),
        /// 고위기
        High = ("high", "고위기", "high crisis"),
    }
}

vocab! {
    /// Stage of a case (단계), in the order a case normally moves.
    Stage {
        /// 접수
        Intake = ("intake", "접수", "intake", "referral"),
        /// 진단
        Assessment = ("assessment", "진단", "assessment", "통합진단", "심층진단"),
        /// 사례회의
        Conference = ("conference", "사례회의", "case conference", "통합사례회의"),
        /// 지원계획
        Plan = ("plan", "지원계획", "support plan"),
        /// 지원·점검
        Support = ("support", "지원·점검", "support & check", "지원", "점검", "monitoring"),
        /// 종결
        Closed = ("closed", "종결", "closed", "closure", "close"),
        /// 사후관리
        Aftercare = ("aftercare", "사후관리", "aftercare"),
    }
}

impl Level {
    /// A short name for narrow table columns.
    pub fn short(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Level::High) => "HIGH",
            _ => self.label(lang),
        }
    }
}

impl Stage {
    /// A short name for narrow table columns.
    pub fn short(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Stage::Assessment) => "assess.",
            (Lang::En, Stage::Conference) => "conf.",
            (Lang::En, Stage::Support) => "support",
            _ => self.label(lang),
        }
    }

    /// True while the case is worked on (접수 to 지원·점검): it takes actions and changes.
    /// 종결 and 사후관리 (check-ins after closure) are not open.
    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Closed | Stage::Aftercare)
    }
}

vocab! {
    /// Difficulty domain (어려움 영역) from the school application form.
    DifficultyDomain {
        /// 학업
        Learning = ("learning", "학업", "learning", "academic"),
        /// 심리·정서
        Emotional = ("emotional", "심리·정서", "emotional", "심리", "정서", "psychological"),
        /// 돌봄·안전·건강
        Care = ("care", "돌봄·안전·건강", "care/safety/health", "돌봄", "안전", "건강", "safety", "health"),
        /// 경제·생활
        Economic = ("economic", "경제·생활", "economic", "경제", "생활"),
    }
}

vocab! {
    /// A sub-item of a difficulty domain, as on the application form.
    Concern {
        /// 기초학습 부족
        BasicLearning = ("basic_learning", "기초학습 부족", "basic learning gap", "기초학습"),
        /// 교과 부족
        SubjectGap = ("subject_gap", "교과 부족", "subject gap", "교과"),
        /// 학업중단 위기
        DropoutRisk = ("dropout_risk", "학업중단 위기", "dropout risk", "학업중단"),
        /// 우울
        Depression = ("depression", "우울", "depression"),
        /// 불안
        Anxiety = ("anxiety", "불안", "anxiety"),
        /// ADHD
        Adhd = ("adhd", "ADHD", "ADHD"),
        /// 무기력
        Lethargy = ("lethargy", "무기력", "lethargy"),
        /// 분노/폭력
        Anger = ("anger", "분노/폭력", "anger/violence", "분노", "폭력"),
        /// 학대(방임)
        Neglect = ("neglect", "학대(방임)", "abuse/neglect", "학대", "방임", "abuse"),
        /// 결식
        Hunger = ("hunger", "결식", "missed meals"),
        /// 보호자 사망·이혼·실직
        GuardianLoss = ("guardian_loss", "보호자 사망·이혼·실직", "guardian death/divorce/job loss"),
        /// 양육환경
        Upbringing = ("upbringing", "양육환경", "home environment"),
        /// 자해·자살 시도
        SelfHarm = ("self_harm", "자해·자살 시도", "self-harm/suicide attempt", "자해", "자살"),
        /// 학교폭력
        SchoolViolence = ("school_violence", "학교폭력", "school violence", "학폭"),
        /// 성폭력
        SexualViolence = ("sexual_violence", "성폭력", "sexual violence"),
        /// 질병
        Illness = ("illness", "질병", "illness"),
        /// 비만
        Obesity = ("obesity", "비만", "obesity"),
        /// 경제적 어려움
        Poverty = ("poverty", "경제적 어려움", "financial hardship", "poverty"),
    }
}

impl Concern {
    /// The difficulty domain this sub-item belongs to.
    pub fn domain(self) -> DifficultyDomain {
        use Concern::*;
        match self {
            BasicLearning | SubjectGap | DropoutRisk => DifficultyDomain::Learning,
            Depression | Anxiety | Adhd | Lethargy | Anger => DifficultyDomain::Emotional,
            Neglect | Hunger | GuardianLoss | Upbringing | SelfHarm | SchoolViolence
            | SexualViolence | Illness | Obesity => DifficultyDomain::Care,
            Poverty => DifficultyDomain::Economic,
        }
    }
}

vocab! {
    /// Whether a team is a department of the office or an outside agency.
    TeamKind {
        /// 내부 부서
        Internal = ("internal", "내부", "internal"),
        /// 외부 기관
        External = ("external", "외부", "external"),
    }
}

vocab! {
    /// Where an action stands.
    ActionStatus {
        /// 진행
        Open = ("open", "진행", "open"),
        /// 완료
        Done = ("done", "완료", "done"),
        /// 취소
        Dropped = ("dropped", "취소", "dropped"),
    }
}

vocab! {
    /// Where a referral to an outside agency stands (연계 상태).
    ReferralStatus {
        /// 의뢰: asked, no answer yet
        Requested = ("requested", "의뢰", "requested"),
        /// 수락
        Accepted = ("accepted", "수락", "accepted"),
        /// 진행
        InProgress = ("in_progress", "진행 중", "in progress", "진행", "inprogress"),
        /// 완료
        Finished = ("finished", "완료", "finished", "done"),
        /// 거절
        Declined = ("declined", "거절", "declined"),
    }
}

vocab! {
    /// What a timeline entry records.
    NoteKind {
        /// 기록
        Note = ("note", "기록", "note"),
        /// 연락
        Contact = ("contact", "연락", "contact"),
        /// 결정
        Decision = ("decision", "결정", "decision"),
        /// 단계 변경
        Stage = ("stage", "단계 변경", "stage change"),
        /// 위기수준 변경
        Level = ("level", "위기수준 변경", "level change"),
        /// 담당 변경
        Teams = ("teams", "담당 변경", "team change"),
        /// 조치
        Action = ("action", "조치", "action"),
        /// 종결
        Close = ("close", "종결", "closure"),
        /// 재개
        Reopen = ("reopen", "재개", "reopen"),
        /// 동의 (consent given or withdrawn)
        Consent = ("consent", "동의", "consent"),
        /// 사례 정보 변경 (school, grade, domains, summary, background, flags)
        Details = ("details", "정보 변경", "details changed"),
        /// 병합 (another case merged into this one, or this one into another)
        Merge = ("merge", "병합", "merge"),
    }
}

vocab! {
    /// What a guardian consented to, as the law separates it.
    ConsentKind {
        /// 수집·이용
        Collection = ("collection", "수집·이용", "collection/use", "collect", "수집", "use"),
        /// 제3자 제공 (to a named outside agency)
        Sharing = ("sharing", "제3자 제공", "sharing", "share", "제공", "third party", "제3자"),
    }
}

vocab! {
    /// Who gave a consent.
    ConsentGiver {
        /// 보호자
        Guardian = ("guardian", "보호자", "guardian", "parent", "부모"),
        /// 학생
        Student = ("student", "학생", "student", "본인"),
        /// 보호자·학생
        Both = ("both", "보호자·학생", "both", "모두", "둘다"),
    }
}

vocab! {
    /// A student's sex as recorded on the application form.
    Sex {
        /// 남
        Male = ("m", "남", "male", "남자", "남학생"),
        /// 여
        Female = ("f", "여", "female", "여자", "여학생"),
    }
}

vocab! {
    /// Kind of case conference.
    ConferenceKind {
        /// 정기
        Regular = ("regular", "정기", "regular"),
        /// 수시
        Adhoc = ("adhoc", "수시", "ad hoc"),
        /// 긴급
        Urgent = ("urgent", "긴급", "urgent"),
    }
}

vocab! {
    /// What a user may do.
    Role {
        /// 관리자
        Admin = ("admin", "관리자", "admin"),
        /// 조정자
        Coordinator = ("coordinator", "조정자", "coordinator", "교육복지조정자"),
        /// 부서 담당자
        Member = ("member", "부서 담당자", "team member", "담당자"),
        /// 열람자
        Viewer = ("viewer", "열람자", "viewer"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_to_its_value() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.code()), Some(*level));
            assert_eq!(Level::parse(level.ko()), Some(*level));
            assert_eq!(Level::parse(level.en()), Some(*level));
        }
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.ko()), Some(*stage));
            assert_eq!(Stage::parse(stage.en()), Some(*stage));
        }
        for concern in Concern::ALL {
            assert_eq!(Concern::parse(concern.ko()), Some(*concern));
        }
        assert_eq!(Level::parse("High-Crisis"), Some(Level::High));
        assert_eq!(Stage::parse("지원점검"), Some(Stage::Support));
        assert_eq!(
            DifficultyDomain::parse("심리정서"),
            Some(DifficultyDomain::Emotional)
        );
        assert_eq!(Level::parse(""), None);
    }

    #[test]
    fn no_two_values_share_a_name() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            names: impl Fn(T) -> Vec<&'static str>,
            parse: impl Fn(&str) -> Option<T>,
        ) {
            for v in all {
                for name in names(*v) {
                    assert_eq!(parse(name), Some(*v), "{name}");
                }
            }
        }
        check(Stage::ALL, |s| vec![s.code(), s.ko(), s.en()], Stage::parse);
        check(
            Concern::ALL,
            |s| vec![s.code(), s.ko(), s.en()],
            Concern::parse,
        );
        check(
            DifficultyDomain::ALL,
            |s| vec![s.code(), s.ko(), s.en()],
            DifficultyDomain::parse,
        );
    }
}
