import Fluent
import Metrics
import Prometheus
import SQLKit
import Vapor
import YingshangCore

/// `/healthz` for load balancers and `/metrics` for Prometheus.
struct OperationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        routes.get("metrics", use: metrics)
        // Browsers ask for /favicon.ico on their own; the icon is an SVG.
        routes.get("favicon.ico") { req in req.redirect(to: "/favicon.svg", redirectType: .permanent) }
    }

    struct Health: Content {
        var status: String
        var database: String
        var version: String
    }

    func health(req: Request) async throws -> Response {
        let kind = req.application.settings.database.kindLabel
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            _ = try await sql.raw("SELECT 1 AS ok").first()
            return try await Health(status: "ok", database: kind, version: YingshangVersion.current).encodeResponse(for: req)
        } catch {
            req.logger.warning("health check failed: \(String(reflecting: error))")
            return try await Health(status: "database_unavailable", database: kind, version: YingshangVersion.current)
                .encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    func metrics(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: Metrics.registry.emitToString()))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4"])
        return response
    }
}

/// The process-wide Prometheus registry (swift-metrics can be bootstrapped only once per process).
enum Metrics {
    static let registry = PrometheusCollectorRegistry()
    private static let bootstrapOnce: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    static func bootstrap() { _ = bootstrapOnce }
}
