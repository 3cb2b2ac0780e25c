import Foundation
import Testing
@testable import ONNX

/// Every copied node case imports or is refused with a sentence; the cases outside what an
/// image classifier needs (1-D and 3-D tensors, feature tensors as second inputs, axes other
/// than channels) are refused, the image-shaped ones import.
@Suite struct NodeCaseImportTests {
    @Test func everyCaseImportsOrGetsASentence() throws {
        let cases = try NodeCase.all
        #expect(cases.count == 121)
        var imported: [String] = [], refused: [String: String] = [:]
        for c in cases {
            switch c.importing() {
            case .success: imported.append(c.name)
            case let .failure(error):
                #expect(error.description.hasSuffix("."), "\(c.name): \(error)")
                refused[c.name] = error.description
            }
        }
        // Image-shaped cases of each family import.
        for name in ["test_basic_conv_with_padding", "test_conv_with_strides_and_asymmetric_padding", "test_batchnorm_epsilon",
                     "test_maxpool_2d_pads", "test_averagepool_2d_pads_count_include_pad", "test_globalaveragepool",
                     "test_gemm_alpha", "test_gemm_transposeB", "test_softmax_example"] {
            #expect(imported.contains(name), "\(name): \(refused[name] ?? "")")
        }
        print("ONNX node cases: \(imported.count) imported, \(refused.count) refused")
        for (name, sentence) in refused.sorted(by: { $0.key < $1.key }) { print("  \(name): \(sentence)") }
    }
}
