import AsyncHTTPClient
import BenchSupport
import Foundation
import NIOCore
import NIOPosix
import SQLiteNIO
import YingshangCore

/// A server holding 200 places × 300 indicators × 20 quarters (2022–2026, all approved) on SQLite: the first view
/// after a change (the year's board loaded and scored), then every dashboard page timed one request at a time.
struct DashboardRun {
    let server: String
    let data: String
    let places: Int
    let quarters: Int
    let requests: Int
    let port: Int

    func log(_ text: String) { print(text); fflush(nil) }

    func run() async throws {
        try? FileManager.default.removeItem(atPath: data)
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let path = "\(data)/yingshang.sqlite"
        let process = ServerProcess(binary: server, databaseURL: "sqlite://\(path)", schema: nil, port: port)
        try process.start(["serve", "--demo"])
        try await process.waitUntilHealthy(timeout: 300)
        process.stop()
        let periods = EvaluationPeriod.quarter(2022, 1).through(EvaluationPeriod.quarter(2022, 1).offset(by: quarters - 1))
        let started = ContinuousClock.now
        try await fill(path: path, periods: periods)
        log("data written in \(format((ContinuousClock.now - started).seconds, 1)) s")

        try process.start()
        try await process.waitUntilHealthy(timeout: 300)
        let token = try process.command(["tokens", "create", "--user", "admin", "--name", "evaluation-benchmark"])
            .split(separator: "\n").last.map(String.init) ?? ""
        let client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton))
        let timer = PageTimer(client: client, port: port, token: token)
        let last = periods.last!.previous.code
        let cold = try await timer.time("/evaluation?period=\(last)", timeout: .minutes(5))
        log("first view after start (the year's values read and scored): \(format(cold, 0)) ms")
        // After an approval (the revision moves, no value changed) and after a corrected value: rescored from memory.
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        _ = try await connection.query("UPDATE platform_settings SET value = '\(UUID().uuidString)' WHERE key = 'evaluation_revision'")
        let afterApproval = try await timer.time("/evaluation?period=\(last)")
        _ = try await connection.query("""
            UPDATE evaluation_values SET value = 55.5, updated_at = \(Date().timeIntervalSince1970)
            WHERE id = (SELECT id FROM evaluation_values WHERE period = '\(last)' LIMIT 1)
            """)
        _ = try await connection.query("UPDATE platform_settings SET value = '\(UUID().uuidString)' WHERE key = 'evaluation_revision'")
        let afterCorrection = try await timer.time("/evaluation?period=\(last)")
        try await connection.close()
        log("first view after an approval: \(format(afterApproval, 0)) ms; after a corrected value: \(format(afterCorrection, 0)) ms")
        let placeIDs = try await ids("SELECT id FROM org_units WHERE kind = 'region' AND parent_id IS NOT NULL ORDER BY code", path: path)
        let codes = Workload.system(year: 2026).indicators.map(\.code)
        let timings = [
            try await timer.measure("ranking (综合排名)", count: requests) { _ in "/evaluation?period=\(last)" },
            try await timer.measure("scorecard of a place (300 indicators, calculations)", count: requests) {
                "/evaluation/places/\(placeIDs[$0 % placeIDs.count])?period=\(last)"
            },
            try await timer.measure("indicator: trend over two years + ranking of 200 places", count: requests) {
                "/evaluation/indicators/\(codes[($0 * 7) % codes.count])?period=\(last)"
            },
            try await timer.measure("comparison of two places", count: requests) {
                "/evaluation/compare?period=\(last)&a=\(placeIDs[$0 % placeIDs.count])&b=\(placeIDs[($0 + 1) % placeIDs.count])"
            },
            try await timer.measure("quarterly report (A4 page)", count: requests / 4) { _ in "/evaluation/report?period=\(last)" },
        ]
        log("\n| page (SQLite, \(places) places × \(codes.count) indicators × \(quarters) quarters) | requests | p50 ms | p95 ms | p99 ms |")
        log("|---|---|---|---|---|")
        for timing in timings {
            log("| \(timing.name) | \(timing.milliseconds.count) | \(format(timing.p50, 1)) | \(format(timing.p95, 1)) | \(format(timing.p99, 1)) |")
        }
        try await client.shutdown()
        process.stop()
    }

    private func ids(_ sql: String, path: String) async throws -> [String] {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        defer { _ = connection.close() }
        return try await connection.query(sql).compactMap { $0.column("id")?.string }
    }

    /// Replaces the demo's evaluation data with the benchmark's: places up to `places`, the system for each year,
    /// every value, approved submissions.
    private func fill(path: String, periods: [EvaluationPeriod]) async throws {
        let db = try await SQLiteConnection.open(storage: .file(path: path))
        defer { _ = db.close() }
        func run(_ sql: String) async throws { _ = try await db.query(sql) }
        for table in ["evaluation_rectifications", "evaluation_survey_invitations", "evaluation_surveys", "evaluation_monitoring_points",
                      "evaluation_corrections", "evaluation_values", "evaluation_submissions", "evaluation_targets", "evaluation_indicators"] {
            try await run("DELETE FROM \(table)")
        }
        let root = try await db.query("SELECT id FROM org_units WHERE code = 'GX'")[0].column("id")!.string!
        let unit = try await db.query("SELECT id FROM org_units WHERE code = 'GX-SCJG'")[0].column("id")!.string!
        let now = Date().timeIntervalSince1970
        // The values were entered quarter by quarter over the past years, not in the last minutes.
        func entered(_ t: Int) -> Double { now - Double(periods.count - t) * 91 * 86_400 }
        let existing = try await db.query("SELECT COUNT(*) AS n FROM org_units WHERE kind = 'region' AND parent_id = '\(root)'")[0].column("n")!.integer!
        try await run("BEGIN")
        for k in existing..<places {
            try await run("""
                INSERT INTO org_units (id, code, name, short_name, kind, parent_id, aliases, created_at, updated_at)
                VALUES ('\(UUID().uuidString)', 'BENCH\(String(format: "%03d", k))', '测试\(k)区人民政府', '测试\(k)区', 'region', '\(root)', '[]', \(now), \(now))
                """)
        }
        try await run("COMMIT")
        let placeIDs = try await ids("SELECT id FROM org_units WHERE kind = 'region' AND parent_id = '\(root)' ORDER BY code", path: path)
        let years = Array(Set(periods.map(\.year))).sorted()
        let system = Workload.system(year: years[0])
        let grid = Workload.grid(system: system, periods: periods, places: placeIDs.count, seed: 2026)
        func sql(_ v: Double?) -> String { v.map { String($0) } ?? "NULL" }
        try await run("BEGIN")
        for year in years {
            for (position, d) in system.indicators.enumerated() {
                try await run("""
                    INSERT INTO evaluation_indicators (id, year, position, code, name, unit, direction, best, worst, exponent, weight, parent_code,
                    formula, aggregation, is_data_element, data_source, responsible_unit_id, minimum, maximum, is_required, outlier_change, updated_at)
                    VALUES ('\(UUID().uuidString)', \(year), \(position), '\(d.code)', '\(d.name)', '\(d.unit)', '\(d.direction.rawValue)',
                    \(sql(d.best)), \(sql(d.worst)), \(d.exponent), 1, \(d.parentCode.map { "'\($0)'" } ?? "NULL"), NULL, 'mean', 0, '部门报送',
                    \(d.parentCode == nil ? "NULL" : "'\(unit)'"), 0, 100, 1, NULL, \(now))
                    """)
            }
        }
        for period in periods {
            try await run("""
                INSERT INTO evaluation_submissions (id, unit_id, period, status, submitted_at, decided_at, comment, updated_at)
                VALUES ('\(UUID().uuidString)', '\(unit)', '\(period.code)', 'approved', \(now), \(now), '', \(now))
                """)
        }
        var batch: [String] = []
        for (t, period) in periods.enumerated() {
            for p in placeIDs.indices {
                for (i, d) in system.indicators.enumerated() where d.parentCode != nil {
                    guard let value = grid[t, p, i] else { continue }
                    batch.append("('\(UUID().uuidString)', \(period.year), '\(d.code)', '\(placeIDs[p])', '\(period.code)', \(value), '', '\(unit)', \(entered(t)))")
                    if batch.count == 500 {
                        try await run("INSERT INTO evaluation_values (id, year, indicator_code, place_id, period, value, reason, unit_id, updated_at) VALUES " + batch.joined(separator: ","))
                        batch.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
        if !batch.isEmpty {
            try await run("INSERT INTO evaluation_values (id, year, indicator_code, place_id, period, value, reason, unit_id, updated_at) VALUES " + batch.joined(separator: ","))
        }
        try await run("UPDATE platform_settings SET value = '\(UUID().uuidString)' WHERE key = 'evaluation_revision'")
        try await run("COMMIT")
        try await run("ANALYZE")
        let count = try await db.query("SELECT COUNT(*) AS n FROM evaluation_values")[0].column("n")!.integer!
        log("\(placeIDs.count) places, \(system.indicators.count) indicators × \(years.count) years, \(count) values")
    }
}
