import Benchmark
import BenchmarkSupport
import CandidacyKit

// Run with `swift package benchmark` from Benchmarks/ (see Benchmarks/README.md).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        maxDuration: .seconds(5), maxIterations: 1_000)

    guard let pack = try? BenchmarkData.shippedPack(),
          let fixtures = try? BenchmarkData.fixturePatients(pack: pack),
          let patient = fixtures.first(where: { $0.id == "case-017" }) ?? fixtures.first
    else { fatalError("cannot load the shipped pack or its fixtures") }
    let cohort = BenchmarkData.cohort(10_000, from: fixtures)
    let full = Evaluator(pack: pack, detail: .full)
    let decisions = Evaluator(pack: pack, detail: .decisions)
    let asOf = CivilDate(daysSinceEpoch: 20_454)  // 2026-01-01

    Benchmark("Load and check the shipped pack") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try CompiledPack(BenchmarkData.loadShippedPack()))
        }
    }

    Benchmark("Evaluate one patient (full)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(full.evaluate(patient)) }
    }

    Benchmark("Evaluate one patient (decisions)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(decisions.evaluate(patient)) }
    }

    Benchmark("Evaluate 10k patients (decisions)", configuration: .init(maxIterations: 50)) { benchmark in
        for patient in cohort { blackHole(decisions.evaluate(patient)) }
    }

    Benchmark("Evaluate 10k patients (full)", configuration: .init(maxIterations: 20)) { benchmark in
        for patient in cohort { blackHole(full.evaluate(patient)) }
    }

    for ruleCount in [100, 1_000, 10_000] {
        guard let generated = try? BenchmarkData.generatedPack(ruleCount: ruleCount),
              let compiled = try? CompiledPack(generated)
        else { fatalError("cannot build the generated \(ruleCount)-rule pack") }
        let evaluator = Evaluator(pack: compiled, detail: .decisions)
        let sample = Array(cohort.prefix(1_000))

        Benchmark("Lint a generated \(ruleCount)-rule pack", configuration: .init(maxIterations: 20)) { benchmark in
            blackHole(Linter().lint(generated, asOf: asOf))
        }

        Benchmark("Compile a generated \(ruleCount)-rule pack", configuration: .init(maxIterations: 20)) { benchmark in
            blackHole(try CompiledPack(generated))
        }

        Benchmark("Evaluate 1k patients, \(ruleCount) rules (decisions)", configuration: .init(maxIterations: 20)) { benchmark in
            for patient in sample { blackHole(evaluator.evaluate(patient)) }
        }
    }
}
