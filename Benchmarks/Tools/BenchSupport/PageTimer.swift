import AsyncHTTPClient
import Foundation
import NIOCore

/// Times GET requests to the server's pages, one at a time, as a signed-in user (API token).
public struct PageTimer {
    public let client: HTTPClient
    public let port: Int
    public let token: String

    public init(client: HTTPClient, port: Int, token: String) {
        self.client = client
        self.port = port
        self.token = token
    }

    /// Milliseconds for one request; fails unless the page answers 200.
    public func time(_ path: String, timeout: TimeAmount = .seconds(30)) async throws -> Double {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let started = ContinuousClock.now
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 16 << 20)
        let elapsed = (ContinuousClock.now - started).seconds * 1000
        guard response.status == .ok else {
            throw LoadError("GET \(path) answered \(response.status.code): \(String(buffer: body).prefix(300))")
        }
        return elapsed
    }

    public struct Timing {
        public let name: String
        public let milliseconds: [Double]
        public var p50: Double { Sample.percentile(milliseconds, 50) }
        public var p95: Double { Sample.percentile(milliseconds, 95) }
        public var p99: Double { Sample.percentile(milliseconds, 99) }
    }

    /// `warmUp` unmeasured requests, then `count` measured ones; `path(i)` varies the request.
    public func measure(_ name: String, count: Int, warmUp: Int = 5, path: (Int) -> String) async throws -> Timing {
        for i in 0..<warmUp { _ = try await time(path(count + i)) }
        var milliseconds: [Double] = []
        for i in 0..<count { milliseconds.append(try await time(path(i))) }
        return Timing(name: name, milliseconds: milliseconds)
    }
}
