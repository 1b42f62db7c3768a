// The evaluation's numbers: the scoring engine on 200 places × 300 indicators × 20 quarters beside its peers
// (`engine`), and the dashboards of a server holding that data (`dashboards`). See Benchmarks/Evaluation/run-all.sh.
import BenchSupport
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first, ["engine", "dashboards"].contains(mode) else {
    print("usage: yingshang-evaluation-bench engine|dashboards [--places N] [--quarters N] [--rounds N] [--out DIR] [--server PATH] [--data DIR] [--requests N] [--port N]")
    exit(2)
}
let flags = try FlagArguments(arguments.dropFirst(), known: ["--places", "--quarters", "--rounds", "--out", "--server", "--data", "--requests", "--port"])
let places = try flags.int("--places", default: 200)
let quarters = try flags.int("--quarters", default: 20)
if mode == "engine" {
    try EngineRun.run(places: places, quarters: quarters, rounds: try flags.int("--rounds", default: 15),
                      out: flags.optional("--out").map { URL(fileURLWithPath: $0) })
} else {
    try await DashboardRun(server: flags.string("--server", default: ".build/release/yingshang"),
                           data: flags.string("--data", default: "Benchmarks/Evaluation/data/server"),
                           places: places, quarters: quarters, requests: try flags.int("--requests", default: 200),
                           port: try flags.int("--port", default: 8097)).run()
}
