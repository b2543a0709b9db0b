// NumberText: probabilities at the simulation's precision, timings to the microsecond.
import QshCore
import Testing
@testable import qsh

@Suite struct NumberTextTests {
    @Test(arguments: [
        (0.4999999999999999, "0.5"), (0.7500000000000001, "0.75"), (1.0 / 3.0, "0.333333333333333"),
        (2.0 / 3.0, "0.666666666666667"), (1e-20 / 3, "3.33333333333333e-21"), (1.0, "1.0"), (0.0, "0.0"),
    ])
    func doublePrecisionKeeps15SignificantDigits(value: Double, text: String) {
        #expect(JSONValue.double(NumberText.probability(value, precision: .double)).serialized() == text)
    }

    @Test func singlePrecisionIsTheFloatsShortestForm() {
        #expect(JSONValue.double(NumberText.probability(0.49999997, precision: .single)).serialized() == "0.49999997")
        #expect(JSONValue.double(NumberText.probability(0.5000000001, precision: .single)).serialized() == "0.5")
    }

    @Test(arguments: [(0.00022347500000000002, "0.000223"), (1.2345678, "1.234568"), (0.0000004, "0.0"), (2.0, "2.0")])
    func timingsAreRoundedToTheMicrosecond(seconds: Double, text: String) {
        #expect(JSONValue.double(NumberText.microseconds(seconds)).serialized() == text)
    }
}
