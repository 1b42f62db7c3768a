import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The `yingshang` server under test, started as a child process with its own database.
public final class ServerProcess {
    public let binary: String
    public let environment: [String: String]
    public let port: Int
    private var process: Process?

    public init(binary: String, databaseURL: String, schema: String?, port: Int) {
        self.binary = binary
        self.port = port
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = databaseURL
        environment["YINGSHANG_PORT"] = String(port)
        environment["YINGSHANG_HOST"] = "127.0.0.1"
        environment["YINGSHANG_JOB_INTERVAL"] = "0"
        environment["LOG_LEVEL"] = "warning"
        if let schema { environment["YINGSHANG_PG_SCHEMA"] = schema }
        self.environment = environment
    }

    /// Runs a `yingshang` command to completion and returns its standard output.
    public func command(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LoadError("`yingshang \(arguments.joined(separator: " "))` exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    public func start(_ arguments: [String] = ["serve"]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        // `BENCH_SERVER_LOG=FILE` keeps the server's warnings and errors (appended) to explain failed requests.
        let log = ProcessInfo.processInfo.environment["BENCH_SERVER_LOG"].flatMap { path -> FileHandle? in
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = FileHandle(forWritingAtPath: path)
            handle?.seekToEndOfFile()
            return handle
        }
        process.standardOutput = log ?? FileHandle.nullDevice
        process.standardError = log ?? FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    /// Waits until `/healthz` answers.
    public func waitUntilHealthy(timeout: TimeInterval = 60) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        let url = URL(string: "http://127.0.0.1:\(port)/healthz")!
        while Date() < deadline {
            // A server that exited (its port taken by another one) must not be mistaken for the one answering.
            guard process?.isRunning == true else { throw LoadError("the server exited; is port \(port) already in use?") }
            if let (_, response) = try? await URLSession.shared.data(from: url),
               (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw LoadError("the server did not become healthy on port \(port)")
    }

    public func stop() {
        guard let process, process.isRunning else { return }
        process.interrupt()
        process.waitUntilExit()
    }
}

public struct LoadError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Duration {
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Order statistics of a sample.
public enum Sample {
    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))]
    }

    public static func median(_ values: [Double]) -> Double { percentile(values, 50) }
}

public func format(_ value: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", value) }
