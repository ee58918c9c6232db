/**
 * Reader reports: what the moderator side (the /moderate list, GET /v1/review/list?queue=reported) uses.
 * - listReported(redis, siteId, {order: 'newest'|'oldest', limit, cursor}) -> {items: [{comment, reportedAt, reports,
 *   reasons}], next?, total}: the site's Reported queue, a page at a time (`next` is the next page's cursor).
 * - reportedCount(redis, siteId): how many comments the Reported queue holds.
 * - reportsOf(redis, siteId, commentId) -> [{reason, text?, at}]: a comment's open reports, oldest first, never who sent them.
 * - decideReport(reviewDeps, actor, {commentId, siteId?, decision: 'keep'|'remove', note?}): a moderator's decision
 *   (also POST /v1/review/:commentId/reports/decision); undoReportDecision(reviewDeps, actor, commentId, siteId?) takes it
 *   back within REVIEW_UNDO_SECONDS (POST /v1/review/:commentId/reports/undo).
 * - reportComment(deps, site, input): a reader's report (POST /v1/comments/:id/reports).
 */
export { listReported, reportedCount, reportsOf, reasonCounts, isReportCursor, REPORT_REASONS, MAX_REPORTS_PER_COMMENT } from './report-store';
export type { Report, ReportReason, ReportedItem, ReportedPage } from './report-store';
export { decideReport } from './decide-report';
export type { ReportDecision, ReportDecisionInput } from './decide-report';
export { undoReportDecision } from './undo-report';
export { reportComment } from './report-comment';
export type { ReportDeps, ReportInput } from './report-comment';
