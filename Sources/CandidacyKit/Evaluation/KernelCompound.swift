/// A rule's `all:` or `any:` condition whose items are each one expression with a kernel
/// (``ConditionKernel``): its verdict worked out from the kernels, as ``Evaluator`` would work
/// it out from the items' verdicts, without building one for each item.
final class KernelCompound: Sendable {
    /// Whether the items are all required (`all:`) rather than any one (`any:`).
    let isAll: Bool
    /// The items' kernels, in order.
    let items: [ConditionKernel]

    /// The compound of `condition`, or `nil` when it is not an `all:` or `any:` of expressions
    /// that all have kernels.
    init?(_ condition: CompiledCondition) {
        let conditions: [CompiledCondition]
        switch condition {
        case .all(let items, _): (isAll, conditions) = (true, items)
        case .any(let items, _): (isAll, conditions) = (false, items)
        default: return nil
        }
        var kernels: [ConditionKernel] = []
        for item in conditions {
            guard case .expression(_, let expression) = item, let kernel = expression.kernel else { return nil }
            kernels.append(kernel)
        }
        items = kernels
    }

    /// The verdict, or `nil` when an item's kernel falls back (the caller then evaluates the
    /// items as before). `scratch` is working room, left in any state.
    ///
    /// Kleene `and` (`or`): an absorbing item (false; true) settles it and nothing is missing;
    /// else unknown when an item is, missing the unknown items' fields in item order, each
    /// item's sorted and each field once.
    func verdict(_ activation: Activation, scratch: inout [String]) -> Verdict? {
        var result = Verdict(outcome: .unknown, missing: [])
        return verdict(activation, scratch: &scratch, into: &result) ? result : nil
    }

    /// ``verdict(_:scratch:)`` written over `verdict` in place (its list's storage kept, so that
    /// a verdict reused from one patient to the next allocates nothing); `false` when an item's
    /// kernel falls back, `verdict` then left in any state.
    func verdict(_ activation: Activation, scratch: inout [String], into verdict: inout Verdict) -> Bool {
        let absorbing: ConditionKernel.Truth = isAll ? .false : .true
        FastPath.empty(&verdict.missing)
        var unknown = false
        for item in items {
            FastPath.empty(&scratch)
            let truth = item.truth(activation, missing: &scratch)
            if truth == .fallBack { return false }
            if truth == absorbing {
                FastPath.empty(&verdict.missing)
                verdict.outcome = isAll ? .false : .true
                return true
            }
            if truth == .unknown {
                unknown = true
                FastPath.sortUnique(&scratch)
                FastPath.appendNew(scratch, to: &verdict.missing)
            }
        }
        verdict.outcome = unknown ? .unknown : isAll ? .true : .false
        return true
    }
}
