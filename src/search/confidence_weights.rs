// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.7231,
    weights: [
        2.5607, // coverage
        1.8982, // lead
        1.2933, // ln_score
        1.6111, // matched_share
        0.5157, // title
        -0.3903, // head_missing
        0.0799, // head_elsewhere
        -0.9492, // aspect_missing
        -0.0856, // elsewhere_peak
        -0.8000, // unknown_share
        0.2196, // title_coverage
        -1.1278, // single_word
    ],
}
