import Fluent
import SQLKit

/// Plain (non-unique) indexes, which Fluent's schema builder cannot declare; the same SQL on both databases.
enum MigrationIndexes {
    struct Index {
        let name: String
        let table: String
        let columns: [String]
        init(_ name: String, on table: String, _ columns: String...) {
            self.name = name
            self.table = table
            self.columns = columns
        }
    }

    static func create(_ indexes: [Index], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for index in indexes {
            var builder = sql.create(index: index.name).on(index.table)
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
    }
}
