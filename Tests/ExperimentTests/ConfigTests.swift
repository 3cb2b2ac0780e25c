import Foundation
import Testing
@testable import Experiment
import Yams

/// Experiment files: every problem is reported together, each with file, line and field.
struct ConfigTests {
    let valid = """
        name: tiny
        dataset:
          generated: {size: 16, period: 4, train_per_class: 8, test_per_class: 4}
        models:
          - zoo: gap-cnn
          - name: mine
            layers: [conv 3x3 8, relu, gap, dense classes]
            rounding: ceil
        training:
          epochs: 2
          optimizer: {kind: adamw, lr: 0.002}
          augmentation: {flip: true, random_crop: 2}
        evaluation:
          resolutions: {from: 8, to: 16, step: 4}
          methods: [nearest, bilinear]
          antialias: [true, false]
          crop: {crop_pct: 0.875}
        seeds: [0, 1]
        """

    @Test func decodesAValidFile() throws {
        let config = try parseExperiment(yaml: valid, file: "tiny.yaml")
        #expect(config.name == "tiny")
        #expect(config.models.map(\.name) == ["gap-cnn", "mine"])
        #expect(config.models[1].rounding == .ceil)
        #expect(config.training.optimizer.kind == .adamw)
        #expect(config.training.optimizer.lr == 0.002)
        #expect(config.training.augmentation.randomCrop == 2)
        #expect(config.evaluation.resolutions.values == [8, 12, 16])
        #expect(config.evaluation.methods == [.nearest, .bilinear])
        #expect(config.evaluation.crop == .center(cropPct: 0.875))
        #expect(config.seeds == [0, 1])
        #expect(config.dataset.generated?.trainPerClass == 8)
    }

    @Test func unknownKeysAndWrongTypesAreReportedTogether() {
        let yaml = """
            dataset:
              generated: {size: 16}
            models:
              - zoo: gap-cnn
            trainig:
              epochs: 3
            evaluation:
              resolutions: [16, big, 32]
              methods: [nearest, bilinaer]
            seeds: 1
            """
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: yaml, file: "x.yaml") }
        #expect(error?.description == """
            x.yaml has 4 problems:
              x.yaml:5: trainig: unknown key; did you mean `training`? known keys here: name, dataset, models, training, evaluation, seeds, remedies.
              x.yaml:8: evaluation.resolutions[1]: expected an integer, found `big`.
              x.yaml:9: evaluation.methods[1]: `bilinaer` is not one of nearest, bilinear, bicubic, lanczos, box, hamming.
              x.yaml:10: seeds: expected a list, found `1`.
            """)
    }

    @Test func wrongTypeNamesTheField() {
        let yaml = """
            dataset: {generated: {}}
            models: [{zoo: gap-cnn}]
            training:
              epochs: ten
              batch: 32
            """
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: yaml, file: "e.yaml") }
        #expect(error?.description == """
            e.yaml has 1 problem:
              e.yaml:4: training.epochs: expected an integer, found `ten`.
            """)
    }

    @Test func missingDatasetFolder() {
        let yaml = """
            dataset:
              folder: /nonexistent/cifar10
            models: [{zoo: gap-cnn}]
            """
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: yaml, file: "c.yaml") }
        #expect(error?.description == """
            c.yaml has 1 problem:
              c.yaml:2: dataset.folder: no folder at /nonexistent/cifar10; point it at a class-per-folder dataset (one subfolder per class, or train/ and val/ splits of them).
            """)
        let overridden = #expect(throws: ExperimentError.self) {
            try parseExperiment(yaml: yaml, file: "c.yaml", dataOverride: "/nonexistent/data")
        }
        #expect(overridden?.description == """
            c.yaml has 1 problem:
              --data: no folder at /nonexistent/data; point it at a class-per-folder dataset (one subfolder per class, or train/ and val/ splits of them).
            """)
    }

    @Test func missingSectionsAndModelChoices() {
        let yaml = """
            models:
              - zoo: resnet-9000
              - layers: []
            """
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: yaml, file: "m.yaml") }
        #expect(error?.description == """
            m.yaml has 4 problems:
              m.yaml:1: missing `dataset` (a dataset folder or `generated:`).
              m.yaml:2: models[0].zoo: `resnet-9000` is not in the zoo; use one of flat-cnn, gap-cnn, blurpool-cnn, small-cnn, imagenette-cnn, resnet-20, resnet-20-avgpool8, mobilenetv2-cifar.
              m.yaml:3: models[1].name: give the model a name.
              m.yaml:3: models[1].layers: list at least one layer.
            """)
    }

    @Test func resolvedConfigReadsBackEqual() throws {
        let config = try parseExperiment(yaml: valid, file: "tiny.yaml")
        let text = try YAMLEncoder().encode(config)
        #expect(try parseExperiment(yaml: text, file: "config.resolved.yaml") == config)
    }

    @Test func badLayerIsReportedAtItsLine() {
        let yaml = """
            dataset: {generated: {}}
            models:
              - name: mine
                layers:
                  - conv 3x3 8
                  - maxpool two
                rounding: round
            """
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: yaml, file: "l.yaml") }
        #expect(error?.description == """
            l.yaml has 2 problems:
              l.yaml:6: models[0].layers[1]: The layer "maxpool two" could not be read: expected a window size (a whole number).
              l.yaml:7: models[0].rounding: `round` is not one of floor, ceil.
            """)
    }

    @Test func yamlSyntaxErrorHasALine() {
        let error = #expect(throws: ExperimentError.self) {
            try parseExperiment(yaml: "models: [a, b\nseeds: 1\n", file: "s.yaml")
        }
        #expect(error?.description.hasPrefix("s.yaml:") == true)
    }
}
