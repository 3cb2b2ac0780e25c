import Testing
@testable import Experiment

/// `--set PATH=VALUE`: applied to the YAML tree before decoding, checked like the file, and
/// problems it causes name the override.
struct OverrideTests {
    let file = """
        name: tiny
        dataset:
          generated: {size: 16}
        models:
          - zoo: gap-cnn
          - name: mine
            layers: [conv 3x3 8, relu, gap, dense classes]
        training:
          epochs: 12
        evaluation:
          methods: [bilinear]
        """

    func parse(_ overrides: String...) throws -> ExperimentConfig {
        try parseExperiment(yaml: file, file: "tiny.yaml", overrides: overrides.map(ConfigOverride.init(parsing:)))
    }

    /// The text of the error `overrides` cause.
    func error(_ overrides: String...) -> String {
        do {
            _ = try parseExperiment(yaml: file, file: "tiny.yaml", overrides: overrides.map(ConfigOverride.init(parsing:)))
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func replacesAddsAndIndexes() throws {
        let config = try parse("training.epochs=2", "evaluation.methods=[nearest, bilinear]", "training.optimizer.lr=0.1",
                               "models[1].rounding=ceil", "seeds=[3, 4]")
        #expect(config.training.epochs == 2)
        #expect(config.evaluation.methods == [.nearest, .bilinear])
        #expect(config.training.optimizer.lr == 0.1)
        #expect(config.models[1].rounding == .ceil && config.models[0].rounding == .floor)
        #expect(config.seeds == [3, 4])
        // Untouched settings keep the file's values; a later override of the same path wins.
        #expect(try parse("training.epochs=2", "training.epochs=5").training.epochs == 5)
        #expect(try parse("training.batch=8").training.epochs == 12)
    }

    @Test func problemsNameTheOverride() {
        #expect(error("training.epoch=2") == """
            tiny.yaml has 1 problem:
              --set training.epoch=2: training.epoch: unknown key; did you mean `epochs`? known keys here: epochs, batch, resolutions, optimizer, schedule, augmentation, label_smoothing, method, antialias, multi_resolution.
            """)
        #expect(error("training.epochs=two") == """
            tiny.yaml has 1 problem:
              --set training.epochs=two: training.epochs: expected an integer, found `two`.
            """)
        #expect(error("training.epochs=0", "evaluation.methods=[nearest, bilinar]") == """
            tiny.yaml has 2 problems:
              --set training.epochs=0: training.epochs: must be at least 1.
              --set evaluation.methods=[nearest, bilinar]: evaluation.methods[1]: `bilinar` is not one of nearest, bilinear, bicubic, lanczos, box, hamming.
            """)
        #expect(error("trainin.epochs=2").contains("--set trainin.epochs=2: trainin: unknown key; did you mean `training`?"))
    }

    @Test func malformedOverridesAreRefused() {
        #expect(error("training.epochs") == "--set training.epochs: write it as PATH=VALUE, e.g. training.epochs=2.")
        #expect(error("training.epochs=") == "--set training.epochs=: give a value after `=`, e.g. training.epochs=2.")
        #expect(error("training..epochs=2").hasPrefix("--set training..epochs=2: the path has an empty or malformed key"))
        #expect(error("models[2].rounding=ceil") == "--set models[2].rounding=ceil: `models` has 2 entries, so it has no entry [2] (they count from 0).")
        #expect(error("training.epochs.x=1") == "--set training.epochs.x=1: `training.epochs` is not a mapping, so it has no key `x`.")
        #expect(error("evaluation.methods=[nearest") .hasPrefix("--set evaluation.methods=[nearest: `[nearest` is not valid YAML"))
    }
}
