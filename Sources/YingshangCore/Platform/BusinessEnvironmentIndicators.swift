import Foundation

/// The 18 first-level indicators of the national business-environment evaluation (《中国营商环境报告2020》),
/// shipped as `cn-business-environment-indicators-2020.json`: appeal categories and evaluation areas.
public enum BusinessEnvironmentIndicators {
    private struct File: Decodable {
        var life_cycle: [String]
        var city_quality: [String]
    }

    /// Life-cycle indicators first, then the city-quality ones, as the report lists them.
    public static let firstLevel: [String] = {
        let url = Bundle.module.url(forResource: "cn-business-environment-indicators-2020", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "cn-business-environment-indicators-2020", withExtension: "json")
        guard let url, let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
            preconditionFailure("无法加载内置的营商环境评价指标 cn-business-environment-indicators-2020.json")
        }
        return file.life_cycle + file.city_quality
    }()
}
