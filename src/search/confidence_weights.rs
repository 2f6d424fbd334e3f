// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.
Model {
    bias: -7.7376,
    weights: [
        2.5731, // coverage
        1.8899, // lead
        1.2891, // ln_score
        1.6257, // matched_share
        0.5219, // title
        -0.3901, // head_missing
        0.0794, // head_elsewhere
        -0.9509, // aspect_missing
        -0.0666, // elsewhere_peak
        -0.7795, // unknown_share
        0.2179, // title_coverage
        -1.1257, // single_word
    ],
}
