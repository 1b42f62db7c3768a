import Fluent
import SQLKit
import Vapor
import YingshangCore

/// Scheduled jobs: run inside `yingshang serve` on a timer and by `yingshang jobs run` (for cron).
/// With several servers on one PostgreSQL database, a transaction-scoped advisory lock lets one
/// process at a time run a job; the jobs themselves are idempotent.
enum Jobs {
    struct Job: Sendable {
        let name: String
        let label: String
        let run: @Sendable (any Database, CivilDate, Application) async throws -> String
    }

    static let all: [Job] = [
        Job(name: "ledger.overdue", label: "标记逾期任务") { db, today, _ in try await LedgerJobs.markOverdue(on: db, today: today) },
        Job(name: "ledger.reminders", label: "发送报送和期限提醒") { db, today, _ in
            try await LedgerJobs.sendReminders(on: db, today: today, settings: try await LedgerSettings.load(on: db))
        },
        Job(name: "ledger.supervision", label: "自动督办") { db, today, _ in
            try await LedgerJobs.openSupervision(on: db, today: today, settings: try await LedgerSettings.load(on: db))
        },
        Job(name: "appeals.supervision", label: "超期诉求督办") { db, today, _ in try await AppealJobs.openSupervision(on: db, today: today) },
        Job(name: "appeals.statistics", label: "更新诉求统计") { db, today, _ in try await AppealJobs.refreshStatistics(on: db, today: today) },
        Job(name: "evaluation.reminders", label: "指标数据报送提醒") { db, today, _ in try await EvaluationJobs.sendReminders(on: db, today: today) },
    ]

    struct Outcome: Sendable {
        let job: String
        let label: String
        let outcome: String
        let message: String
    }

    static func runAll(on app: Application, today: CivilDate = Today.civil()) async -> [Outcome] {
        var outcomes: [Outcome] = []
        for job in all { outcomes.append(await run(job, on: app, today: today)) }
        return outcomes
    }

    static func run(_ job: Job, on app: Application, today: CivilDate) async -> Outcome {
        let record = JobRun()
        record.job = job.name
        record.startedAt = Date()
        record.outcome = "running"
        record.message = ""
        record.host = ProcessInfo.processInfo.hostName
        try? await record.create(on: app.db)
        var outcome = "succeeded"
        var message: String
        do {
            message = try await app.db.transaction { tx in
                guard try await AdvisoryLocks.tryLock("job:" + job.name, on: tx) else { return "skipped" }
                return try await job.run(tx, today, app)
            }
            if message == "skipped" {
                outcome = "skipped"
                message = "另一个服务器进程正在运行此任务"
            }
        } catch {
            outcome = "failed"
            message = String(describing: error)
            app.logger.error("job \(job.name) failed: \(String(reflecting: error))")
        }
        record.finishedAt = Date()
        record.outcome = outcome
        record.message = message
        try? await record.save(on: app.db)
        return Outcome(job: job.name, label: job.label, outcome: outcome, message: message)
    }
}

/// Runs the jobs every `YINGSHANG_JOB_INTERVAL` seconds (default 600; 0 turns the timer off) while serving.
struct JobScheduler: LifecycleHandler {
    let interval: Int

    func didBootAsync(_ application: Application) async throws {
        guard interval > 0 else { return }
        let interval = interval
        let task = Task {
            try? await Task.sleep(nanoseconds: 5_000_000_000)
            while !Task.isCancelled {
                _ = await Jobs.runAll(on: application)
                try? await Task.sleep(nanoseconds: UInt64(interval) * 1_000_000_000)
            }
        }
        application.storage[JobSchedulerTaskKey.self] = task
    }

    func shutdownAsync(_ application: Application) async {
        application.storage[JobSchedulerTaskKey.self]?.cancel()
    }
}

struct JobSchedulerTaskKey: StorageKey { typealias Value = Task<Void, Never> }

/// `yingshang jobs run`: every job once, with their outcomes (for cron).
struct JobsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "run")
        var action: String
        @Option(name: "today", help: "按此日期运行（YYYY-MM-DD，用于补跑或演示）")
        var today: String?
    }

    var help: String { "定时任务：jobs run 运行一次全部定时任务（逾期标记、提醒、自动督办、诉求统计）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "run" else { throw CommandFailure("未知操作“\(signature.action)”，可用：run") }
        var today = Today.civil()
        if let raw = signature.today {
            guard let date = CivilDate(iso: raw) else { throw CommandFailure("日期格式应为 YYYY-MM-DD", exitCode: 2) }
            today = date
        }
        try await context.application.autoMigrate()
        let outcomes = await Jobs.runAll(on: context.application, today: today)
        for outcome in outcomes {
            context.console.output("\(outcome.label)：\(outcome.outcome == "succeeded" ? "完成" : outcome.outcome)，\(outcome.message)".consoleText())
        }
        if outcomes.contains(where: { $0.outcome == "failed" }) { throw CommandFailure("有定时任务运行失败") }
    }
}
