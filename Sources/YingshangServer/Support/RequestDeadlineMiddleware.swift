import NIOConcurrencyHelpers
import Vapor

/// Answers an API request that is still waiting after `seconds` with 503 instead of leaving the client
/// hanging (seen when PostgreSQL restarts under a query). The work may still finish; a client that retries
/// with the same Idempotency-Key then gets the same result.
struct RequestDeadlineMiddleware: AsyncMiddleware {
    let seconds: Double

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.url.path.hasPrefix("/api/") else { return try await next.respond(to: request) }
        let seconds = seconds
        let answered = NIOLockedValueBox(false)
        // Not a task group: a group waits for all its children, and the point is not to wait for a stuck one.
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Response, any Error>) in
            let finish: @Sendable (Result<Response, any Error>) -> Void = { result in
                let first = answered.withLockedValue { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(with: result) }
            }
            let work = NIOLockedValueBox<Task<Void, Never>?>(nil)
            let timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                guard !Task.isCancelled, answered.withLockedValue({ !$0 }) else { return }
                request.logger.warning("request still running after \(seconds)s; answered 503")
                work.withLockedValue { $0?.cancel() }
                finish(.failure(APIError(status: .serviceUnavailable, code: "timeout",
                                         message: "服务暂时繁忙或数据库不可用，请稍后重试（重试时请使用相同的幂等键）")))
            }
            work.withLockedValue { task in
                task = Task {
                    do { finish(.success(try await next.respond(to: request))) } catch { finish(.failure(error)) }
                    timer.cancel()
                }
            }
        }
    }
}
