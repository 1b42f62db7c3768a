import Fluent
import PostgresNIO
import SQLiteNIO
import Vapor

/// Classifies driver errors the same way on SQLite and PostgreSQL.
enum DatabaseErrors {
    /// The database cannot be reached right now (server down, connection refused, pool timeout).
    static func isUnavailable(_ error: any Error) -> Bool {
        if let psql = error as? PSQLError {
            // `clientClosedConnection` is what a query (often the ROLLBACK after a failed statement) gets on a
            // connection the server has just terminated.
            if psql.code == .connectionError || psql.code == .serverClosedConnection || psql.code == .uncleanShutdown
                || psql.code == .poolClosed || psql.code == .clientClosedConnection {
                return true
            }
            // 08xxx connection exceptions, 57Pxx the server shutting down or starting up.
            if let state = psql.serverInfo?[.sqlState], state.hasPrefix("08") || state.hasPrefix("57P") { return true }
            // The server's own reason can sit one level down.
            if let underlying = psql.underlying { return isUnavailable(underlying) }
            return false
        }
        if let error = error as? ConnectionPoolTimeoutError { _ = error; return true }
        let text = String(describing: error)
        return text.contains("connectionRefused") || text.contains("Connection refused")
    }

    /// A write lost a race (unique violation or a busy SQLite database) and may be retried.
    static func isRetryableConflict(_ error: any Error) -> Bool {
        if let db = error as? any DatabaseError, db.isConstraintFailure { return true }
        if let sqlite = error as? SQLiteError, isBusy(sqlite) { return true }
        if let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] {
            return state == "40001" || state == "40P01" || state == "23505"
        }
        return false
    }

    /// SQLite refused a write because another connection holds or just used the write lock. `busyInSnapshot` is
    /// the common one in WAL mode: a transaction that read first cannot write after another connection committed,
    /// and SQLite does not wait for it (no busy handler applies) — only a fresh attempt succeeds.
    private static func isBusy(_ error: SQLiteError) -> Bool {
        switch error.reason {
        case .busy, .busyInSnapshot, .busyInRecovery, .busyTimeout, .locked, .lockedBySharedCache: true
        default: false
        }
    }
}
