import AsyncHTTPClient
import BenchSupport
import Foundation
import NIOCore
import NIOHTTP1

/// `clients` concurrent clients posting appeals to `/api/v1/appeals` as fast as they are answered — or, for the
/// ceiling, asking `/healthz` (the server's cheapest request: one `SELECT 1`) the same way.
struct IntakeLoad {
    let port: Int
    let token: String
    let clients: Int

    enum Work: Sendable { case intake, health }

    struct Result {
        var acknowledged = 0
        /// Requests not acknowledged, by reason (status or client error).
        var failures: [String: Int] = [:]
        var failed: Int { failures.values.reduce(0, +) }
        var latencies: [Double] = []   // milliseconds, acknowledged requests inside the window
        var seconds = 0.0

        var perSecond: Double { Double(latencies.count) / seconds }
        func percentile(_ p: Double) -> Double { Sample.percentile(latencies, p) }
    }

    /// Runs `warmUp` seconds unmeasured, then measures for `seconds`.
    func run(_ work: Work = .intake, client http: HTTPClient, warmUp: Double, seconds: Double, round: Int) async -> Result {
        let started = ContinuousClock.now
        let windowStart = started + .milliseconds(Int(warmUp * 1000))
        let windowEnd = windowStart + .milliseconds(Int(seconds * 1000))
        var total = Result()
        await withTaskGroup(of: Result.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var mine = Result()
                    var sequence = 0
                    while ContinuousClock.now < windowEnd {
                        sequence += 1
                        let key = "bench-\(round)-\(client)-\(sequence)-\(UInt32.random(in: 0...UInt32.max))"
                        let sent = ContinuousClock.now
                        let failure = switch work {
                        case .intake: await post(http, key: key)
                        case .health: await health(http)
                        }
                        let answered = ContinuousClock.now
                        if let failure {
                            mine.failures[failure, default: 0] += 1
                        } else {
                            mine.acknowledged += 1
                            if sent >= windowStart && answered <= windowEnd {
                                mine.latencies.append((answered - sent).seconds * 1000)
                            }
                        }
                    }
                    return mine
                }
            }
            for await result in group {
                total.acknowledged += result.acknowledged
                total.failures.merge(result.failures, uniquingKeysWith: +)
                total.latencies += result.latencies
            }
        }
        total.seconds = seconds
        return total
    }

    private func health(_ http: HTTPClient) async -> String? {
        await send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), on: http)
    }

    private func post(_ http: HTTPClient, key: String) async -> String? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/appeals")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: key)
        let body = #"{"type":"complaint","title":"施工许可审批超时","content":"厂房项目的施工许可申请已提交二十个工作日，至今没有结果，请协调办理。编号 \#(key)","enterprise_name":"河北某某机械制造有限公司","contact_name":"王先生","contact_phone":"13812345678"}"#
        request.body = .bytes(ByteBuffer(string: body))
        return await send(request, on: http)
    }

    /// Nil when the server acknowledged the request, otherwise why not.
    private func send(_ request: HTTPClientRequest, on http: HTTPClient) async -> String? {
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            return (200..<300).contains(response.status.code) ? nil : "HTTP \(response.status.code)"
        } catch {
            return String(describing: error)
        }
    }
}
