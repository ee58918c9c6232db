<?php
/**
 * Runs one step inside the test WordPress (VIGIL_WP_DIR), the way its own code paths run it, and prints JSON.
 *   install KEY                  install WordPress, activate Akismet, save KEY in its settings
 *   status ID                    the comment's status (approved, unapproved, spam) and Akismet's metadata
 *   spam ID | unspam ID          what wp-admin's "Spam" / "Not Spam" links do: as the administrator, with the
 *                                request variables Akismet reads to tell a moderator's click from a plugin's change
 *   connectivity                 the settings page's checks: server connectivity and the saved key's status
 *   stats                        the settings page's figures (get-stats, 6-months and all)
 */
$dir = getenv( 'VIGIL_WP_DIR' );
$cmd = $argv[1] ?? '';
if ( 'install' === $cmd ) {
	define( 'WP_INSTALLING', true );
}
$_SERVER['HTTP_HOST'] = parse_url( getenv( 'VIGIL_WP_URL' ), PHP_URL_HOST ) . ':' . parse_url( getenv( 'VIGIL_WP_URL' ), PHP_URL_PORT );
$_SERVER['REQUEST_URI'] = '/';
require $dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';

switch ( $cmd ) {
	case 'install':
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		if ( ! is_blog_installed() ) {
			wp_install( 'Vigil test', 'admin', 'admin@example.com', true, '', 'admin-password-1' );
		}
		// Publish a first-time commenter's comment when Akismet says it is not spam.
		update_option( 'comment_previously_approved', 0 );
		update_option( 'comment_moderation', 0 );
		update_option( 'akismet_strictness', 0 );
		update_option( 'wordpress_api_key', $argv[2] );
		$activated = activate_plugin( 'akismet/akismet.php' );
		echo json_encode( array( 'activated' => ! is_wp_error( $activated ), 'post' => get_permalink( 1 ) ) );
		break;
	case 'status':
		$c = get_comment( (int) $argv[2] );
		echo json_encode( array(
			'status' => wp_get_comment_status( $c ),
			'akismet_result' => get_comment_meta( $c->comment_ID, 'akismet_result', true ),
			'akismet_error' => get_comment_meta( $c->comment_ID, 'akismet_error', true ),
		) );
		break;
	case 'spam':
	case 'unspam':
		wp_set_current_user( 1 );
		$_GET['action'] = $cmd . 'comment';
		$done = 'spam' === $cmd ? wp_spam_comment( (int) $argv[2] ) : wp_unspam_comment( (int) $argv[2] );
		echo json_encode( array( 'done' => (bool) $done, 'status' => wp_get_comment_status( (int) $argv[2] ) ) );
		break;
	case 'connectivity':
		// The settings page's class, which WordPress loads only for admin screens.
		require_once WP_PLUGIN_DIR . '/akismet/class.akismet-admin.php';
		echo json_encode( array(
			'connected' => Akismet_Admin::check_server_connectivity( 0 ),
			'key' => Akismet::verify_key( Akismet::get_api_key() ),
			'subscription' => Akismet_Admin::get_akismet_user( Akismet::get_api_key() ),
		) );
		break;
	case 'stats':
		require_once WP_PLUGIN_DIR . '/akismet/class.akismet-admin.php';
		echo json_encode( Akismet_Admin::get_stats( Akismet::get_api_key() ) );
		break;
	default:
		fwrite( STDERR, "unknown command $cmd\n" );
		exit( 2 );
}
