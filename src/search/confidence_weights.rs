// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.5454,
    weights: [
        2.4474, // coverage
        2.1945, // lead
        1.1842, // ln_score
        1.7235, // matched_share
        0.5155, // title
        -0.3305, // head_missing
        0.1186, // head_elsewhere
        -0.9498, // aspect_missing
        0.0144, // elsewhere_peak
        -0.8112, // unknown_share
        0.2071, // title_coverage
        -1.4638, // single_word
    ],
}
