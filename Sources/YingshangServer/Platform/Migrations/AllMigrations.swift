import Fluent

/// Every migration, in order. Append only: a landed migration is never edited.
enum AllMigrations {
    static var list: [any Migration] {
        [
            SessionRecord.migration,
            M001_CreatePlatform(),
            M002_CreateLedger(),
            M003_CreateAppeals(),
            M004_CreateAppealStatistics(),
            M005_CreateAppealMonthlyStatistics(),
            M006_CreatePolicyLibrary(),
            M007_CreateEnterprises(),
            M008_CreateEvaluation(),
        ]
    }
}
