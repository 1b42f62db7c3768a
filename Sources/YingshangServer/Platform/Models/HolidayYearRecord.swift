import Fluent
import Foundation

/// A year of public holidays and make-up working days added by an administrator
/// (overrides the data shipped with the platform for that year).
final class HolidayYearRecord: Model, @unchecked Sendable {
    static let schema = "holiday_years"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @OptionalField(key: "notice") var notice: String?
    @Field(key: "off_days") var offDays: [String]
    @Field(key: "work_days") var workDays: [String]
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
