// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.8026,
    weights: [
        2.2816, // coverage
        1.9490, // lead
        1.3992, // ln_score
        1.7538, // matched_share
        0.5426, // title
        -0.7237, // head_missing
        0.1178, // head_elsewhere
        -1.0133, // aspect_missing
        -0.1041, // elsewhere_peak
        -0.3011, // unknown_share
        0.0107, // title_coverage
        -1.1711, // single_word
        -1.3671, // head_partial
    ],
}
