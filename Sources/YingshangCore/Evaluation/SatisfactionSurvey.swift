import Foundation

/// An enterprise survey (监测点问卷 / 好差评) question: a 1…N scale (满意度) or free text.
public struct SurveyQuestion: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case scale, text }
    public var text: String
    public var kind: Kind
    /// The top of the scale (5 for 非常不满意…非常满意).
    public var scaleMax: Int

    public init(text: String, kind: Kind, scaleMax: Int = 5) {
        self.text = text
        self.kind = kind
        self.scaleMax = scaleMax
    }

    /// Questions from the office's text, one per line: "办理时限是否满意？" is a 1–5 scale; a line starting with
    /// "文字：" (or "问答：") asks for free text; "（1-10）" at the end sets another scale.
    public static func parse(_ text: String) -> Result<[SurveyQuestion], SubmissionRefusal> {
        var questions: [SurveyQuestion] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            if let prefix = ["文字：", "文字:", "问答：", "问答:"].first(where: line.hasPrefix) {
                line.removeFirst(prefix.count)
                questions.append(SurveyQuestion(text: line.trimmingCharacters(in: .whitespaces), kind: .text))
                continue
            }
            var scaleMax = 5
            if let range = line.range(of: #"[（(]1[-－~～到至](\d+)[)）]$"#, options: .regularExpression) {
                let digits = line[range].filter(\.isNumber).dropFirst()
                scaleMax = Int(String(digits)) ?? 5
                line.removeSubrange(range)
            }
            guard (2...10).contains(scaleMax) else { return .failure(SubmissionRefusal(message: "“\(line)”的量表应为 1–2 到 1–10")) }
            questions.append(SurveyQuestion(text: line, kind: .scale, scaleMax: scaleMax))
        }
        guard questions.contains(where: { $0.kind == .scale }) else {
            return .failure(SubmissionRefusal(message: "问卷至少要有一道满意度打分题"))
        }
        return .success(questions)
    }
}

/// A questionnaire's life: written (草稿), sent to the monitoring points (已发送, answers accepted), closed (已结束).
public enum SurveyStatus: String, Codable, Sendable, CaseIterable {
    case draft, sent, closed

    public var label: String {
        switch self {
        case .draft: "草稿"
        case .sent: "已发送"
        case .closed: "已结束"
        }
    }
}

/// Satisfaction and the burden cap of the survey programme.
public enum SurveyScoring {
    /// One enterprise's answers to the scale questions, as (answer, top of the scale); text answers and unreadable
    /// ones are left out.
    public static func scaleAnswers(_ questions: [SurveyQuestion], _ answers: [String]) -> [(answer: Int, scaleMax: Int)] {
        zip(questions, answers).compactMap { question, answer in
            question.kind == .scale ? Int(answer).map { ($0, question.scaleMax) } : nil
        }
    }

    /// The satisfaction index (满意度指数) 0–100 of scale answers: (answer − 1) / (max − 1) × 100, averaged.
    /// Answers out of range are ignored; nil when there are none.
    public static func satisfactionIndex(_ answers: [(answer: Int, scaleMax: Int)]) -> Double? {
        let valid = answers.filter { $0.scaleMax > 1 && (1...$0.scaleMax).contains($0.answer) }
        guard !valid.isEmpty else { return nil }
        return valid.reduce(0) { $0 + 100 * Double($1.answer - 1) / Double($1.scaleMax - 1) } / Double(valid.count)
    }

    /// Splits the candidates of a sending into those who receive it and those already at the cap for the quarter
    /// (不增加企业负担: at most `cap` surveys per enterprise per quarter).
    public static func recipients<ID: Hashable>(_ candidates: [ID], sentThisQuarter: [ID: Int], cap: Int) -> (send: [ID], skipped: [ID]) {
        var send: [ID] = [], skipped: [ID] = []
        for id in candidates {
            if sentThisQuarter[id, default: 0] < cap { send.append(id) } else { skipped.append(id) }
        }
        return (send, skipped)
    }
}
