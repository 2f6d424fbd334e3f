// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -5.548,
    weights: [
        1.018, // coverage
        1.52, // lead
        1.606, // ln_score
        0.685, // matched_share
        0.47, // title
        0.0, // head_missing
        0.0, // head_elsewhere
        0.0, // aspect_missing
    ],
}
