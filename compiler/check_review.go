package compiler

// reviewInterval is how long hotfixes may go unreviewed before the compiler says so; the
// seed's workflow reviews them weekly and cleans them up monthly.
const reviewIntervalDays = 31

// checkHotfixReview warns when the fleet has hotfixes and their last recorded review is
// older than a month, since every hotfix pins a package to an older channel and should go as
// soon as upstream is fixed. A fleet that records no review gets no warning (and FLEET.md
// then shows no ages).
func (cc *compilation) checkHotfixReview() {
	f := cc.fleet
	if len(cc.model.Overlays.Hotfixes) == 0 {
		return
	}
	if f.HotfixesReviewed.IsZero() {
		return
	}
	days := int(cc.cfg.today.Sub(f.HotfixesReviewed.Time()).Hours() / 24)
	if days > reviewIntervalDays {
		cc.r.warnf(f.Pos, "hotfixes were last reviewed %d days ago (%s)", days, f.HotfixesReviewed).Hint =
			"check whether each can be removed, then update dsl.HotfixesReviewedOn"
	}
}
