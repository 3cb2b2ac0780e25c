import Resample
import Stats

/// A resize method as the report groups evaluations: its filter, whether it antialiased, and in
/// a report comparing runs, the run it comes from.
struct Method: Hashable {
    var filter: Filter
    var antialias: Bool
    var run: String? = nil

    /// The method of `evaluation`.
    init(_ evaluation: Evaluation) {
        self.init(filter: evaluation.method, antialias: evaluation.antialias, run: evaluation.run)
    }

    init(filter: Filter, antialias: Bool, run: String? = nil) {
        self.filter = filter
        self.antialias = antialias
        self.run = run
    }

    /// "bilinear (antialiased)", "short · bilinear (antialiased)" when comparing runs. Nearest
    /// never filters: its two modes differ only in where it samples (Pillow's pixel centres, or
    /// OpenCV's ⌊i·s⌋), so it is not called "antialiased".
    var label: String {
        let name = filter.rawValue
        let method = filter == .nearest ? (antialias ? name : "\(name) (OpenCV ⌊i·s⌋)")
            : antialias ? "\(name) (antialiased)" : "\(name) (no antialias)"
        return (run.map { "\($0) · " } ?? "") + method
    }
}

/// One (model, training resolution, method): the line on the accuracy chart.
struct CurveKey: Hashable {
    var model: String
    var trainResolution: Int
    var method: Method

    /// "gap-cnn @32" — the trained model, without the method.
    var modelLabel: String { "\(model) @\(trainResolution) px" }
    var label: String { "\(modelLabel), \(method.label)" }
}

/// All seeds of one curve at one test resolution.
struct Cell {
    var testResolution: Int
    /// Measured evaluations, sorted by seed.
    var evaluations: [Evaluation]
    var metrics: [Metrics]
    /// Why the network cannot run here, when no seed could.
    var cannotRun: String?
    /// Accuracy over seeds (nil when nothing was measured).
    var summary: SeedSummary?
    /// The cell's confidence interval: the t-interval over seeds with ≥ 3 seeds, else the Wilson
    /// interval of the images pooled over the seeds.
    var interval: Interval?

    var mean: Double? { summary?.mean }
    var seeds: [Int] { evaluations.map(\.seed) }
}

/// A curve's cells in resolution order, its peak and its drop points.
struct Curve {
    var key: CurveKey
    var cells: [Cell]
    var peak: Int?
    /// share × peak accuracy: the level a lower bound must reach to "keep" the accuracy.
    var threshold: Double
    /// The contiguous range of cell indices around the peak that keep the accuracy.
    var kept: ClosedRange<Int>?
    /// The first cell below / above the kept range (it does not keep the accuracy).
    var lowDrop: Int?
    var highDrop: Int?

    func cell(at resolution: Int) -> Cell? { cells.first { $0.testResolution == resolution } }
}

/// The evaluations of a report grouped into curves and cells, with the statistics the sections
/// share.
struct Analysis {
    let data: ReportData
    let options: ReportOptions
    /// Methods in order of first appearance, `options.referenceMethod` moved first; the first is
    /// the reference the others are compared to.
    let methods: [Method]
    /// Every tested resolution, ascending.
    let resolutions: [Int]
    /// Curves in the order their models, training resolutions and methods first appear.
    let curves: [Curve]
    /// Each other method against the reference, per trained model; the findings and the methods
    /// section share them (each row costs a bootstrap).
    private(set) var methodComparisons: [MethodComparison] = []
    /// Each trained model's remedies against the untreated model ("What to do" and the findings).
    private(set) var remedyComparisons: [RemedyComparison] = []
    /// Each curve's drop and peak tests (`CurveTests`), shared by the findings and the chart.
    private(set) var curveTests: [CurveKey: CurveTests] = [:]

    init(_ data: ReportData, options: ReportOptions) {
        self.data = data
        self.options = options
        var methods: [Method] = []
        var keys: [CurveKey] = []
        var groups: [CurveKey: [Int: [Evaluation]]] = [:]
        for evaluation in data.evaluations {
            let method = Method(evaluation)
            if !methods.contains(method) { methods.append(method) }
            let key = CurveKey(model: evaluation.model, trainResolution: evaluation.trainResolution, method: method)
            if groups[key] == nil { keys.append(key) }
            groups[key, default: [:]][evaluation.testResolution, default: []].append(evaluation)
        }
        if let filter = options.referenceMethod,
           let reference = methods.first(where: { $0.filter == filter && $0.antialias }) ?? methods.first(where: { $0.filter == filter }) {
            methods.removeAll { $0 == reference }
            methods.insert(reference, at: 0)
        }
        self.methods = methods
        resolutions = Set(data.evaluations.map(\.testResolution)).sorted()
        // Group by model (in order of appearance), then training resolution, then method.
        let modelOrder = keys.map(\.model).uniqued()
        let ordered = keys.sorted {
            (modelOrder.firstIndex(of: $0.model)!, $0.trainResolution, methods.firstIndex(of: $0.method)!)
                < (modelOrder.firstIndex(of: $1.model)!, $1.trainResolution, methods.firstIndex(of: $1.method)!)
        }
        curves = ordered.map { key in
            let cells = groups[key]!.keys.sorted().map { Analysis.cell(groups[key]![$0]!, resolution: $0, confidence: options.confidence) }
            return Curve(key: key, cells: cells, share: options.dropShare)
        }
        methodComparisons = MethodComparison.all(self)
        remedyComparisons = RemedyComparison.all(self)
        for curve in curves { curveTests[curve.key] = CurveTests(curve, analysis: self) }
    }

    static func cell(_ evaluations: [Evaluation], resolution: Int, confidence: Double) -> Cell {
        var measured: [(Evaluation, Metrics)] = []
        var reason: String?
        for evaluation in evaluations.sorted(by: { $0.seed < $1.seed }) {
            switch evaluation.outcome {
            case .measured(let metrics): measured.append((evaluation, metrics))
            case .cannotRun(let why): reason = reason ?? why
            }
        }
        var cell = Cell(testResolution: resolution, evaluations: measured.map(\.0), metrics: measured.map(\.1))
        guard !measured.isEmpty else {
            cell.cannotRun = reason ?? "no evaluation finished"
            return cell
        }
        let accuracies = measured.map(\.1.top1)
        let summary = SeedSummary(accuracies, confidence: confidence)
        cell.summary = summary
        if let t = summary.interval {
            cell.interval = Interval(lower: max(0, t.lower), upper: min(1, t.upper))
        } else {
            let trials = measured.map(\.1.count).reduce(0, +)
            let successes = measured.map { Int(($0.1.top1 * Double($0.1.count)).rounded()) }.reduce(0, +)
            cell.interval = wilsonInterval(successes: successes, trials: trials, confidence: confidence)
        }
        return cell
    }

    /// Curves of the reference method (the first), one per trained model.
    var referenceCurves: [Curve] { curves.filter { $0.key.method == methods.first } }

    /// The curve of the same trained model with another method.
    func curve(_ key: CurveKey, method: Method) -> Curve? {
        curves.first { $0.key.model == key.model && $0.key.trainResolution == key.trainResolution && $0.key.method == method }
    }

    /// Per-image right/wrong of each seed, paired across two cells of one trained model; nil when
    /// the cells share no seed with stored predictions for every test image.
    func pairedOutcomes(_ first: Cell, _ second: Cell) -> PairedOutcomes? {
        let seeds = first.seeds.filter { second.seeds.contains($0) }
        var a: [[Bool]] = [], b: [[Bool]] = []
        for seed in seeds {
            guard let left = correct(first, seed: seed), let right = correct(second, seed: seed) else { continue }
            a.append(left)
            b.append(right)
        }
        return a.isEmpty ? nil : PairedOutcomes(first: a, second: b)
    }

    private func correct(_ cell: Cell, seed: Int) -> [Bool]? {
        guard let index = cell.seeds.firstIndex(of: seed) else { return nil }
        let predicted = cell.metrics[index].predicted
        guard predicted.count == data.testLabels.count, !predicted.isEmpty else { return nil }
        return zip(predicted, data.testLabels).map { $0 == $1 }
    }

    /// The paired comparison (first − second) with its bootstrap interval.
    func compare(_ first: Cell, _ second: Cell) -> PairedComparison? {
        pairedOutcomes(first, second).map {
            PairedComparison($0, confidence: options.confidence, resamples: options.bootstrapResamples, seed: options.bootstrapSeed)
        }
    }

    func model(named name: String) -> ModelInfo? { data.models.first { $0.name == name } }

    func architecture(_ key: CurveKey, testResolution: Int) -> ArchitectureTable? {
        model(named: key.model)?.architectures.first {
            $0.trainResolution == key.trainResolution && $0.testResolution == testResolution
        }
    }
}

extension Curve {
    /// Finds the peak (highest mean) and walks away from it on both sides while each cell's
    /// interval lower bound stays ≥ share × peak; the first cell that fails (or cannot run) is
    /// that side's drop point.
    init(key: CurveKey, cells: [Cell], share: Double) {
        self.key = key
        self.cells = cells
        let measured = cells.indices.filter { cells[$0].mean != nil }
        // On a tie the training resolution is the peak (else the lowest tied resolution), so a
        // finding never calls a tied resolution "the peak" over the one the model was trained at.
        let rank = { (i: Int) in (cells[i].mean!, cells[i].testResolution == key.trainResolution ? 1 : 0) }
        peak = measured.max { rank($0) < rank($1) }
        guard let peak else { threshold = 0; return }
        threshold = share * cells[peak].mean!
        let keeps = { (i: Int) in (cells[i].interval?.lower ?? -1) >= share * cells[peak].mean! }
        var low = peak, high = peak
        while low > 0 && keeps(low - 1) { low -= 1 }
        while high < cells.count - 1 && keeps(high + 1) { high += 1 }
        kept = low...high
        lowDrop = low > 0 ? low - 1 : nil
        highDrop = high < cells.count - 1 ? high + 1 : nil
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each kept once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
