package io.featurelake.webui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.sqlcatalog.security.Principal;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.security.UiSecurity;
import io.featurelake.webui.status.PlatformStatus;

/**
 * The frame of every page: navigation, and a banner per door that is down. Read pages come from
 * the catalog, so they keep working while the gateway is down; the banner says what does not.
 * The header names the user and their role; the navigation offers only the pages the role may open.
 */
public class MainLayout extends AppLayout implements AfterNavigationObserver {

  private static final long serialVersionUID = 1L;

  private final transient PlatformStatus status;
  private final transient GatewayClient gateway;
  private final Div banners = new Div();

  public MainLayout(PlatformStatus status, GatewayClient gateway, UiSecurity security) {
    this.status = status;
    this.gateway = gateway;
    Span title = new Span("featurelake");
    title.addClassName("fl-title");
    HorizontalLayout navbar = new HorizontalLayout(new DrawerToggle(), title, banners, who(security));
    navbar.setAlignItems(HorizontalLayout.Alignment.CENTER);
    navbar.setWidthFull();
    banners.addClassName("fl-banners");
    addToNavbar(navbar);

    SideNav nav = new SideNav();
    nav.addItem(new SideNavItem("Overview", ""));
    nav.addItem(new SideNavItem("Runs", "runs"));
    if (security.may(Permission.START_BACKFILL)) {
      nav.addItem(new SideNavItem("Backfill", "backfill"));
    }
    nav.addItem(new SideNavItem("Lineage", "lineage"));
    nav.addItem(new SideNavItem("Online", "online"));
    nav.addItem(new SideNavItem("Maintenance", "maintenance"));
    nav.addItem(new SideNavItem("SQL console", "console"));
    nav.addItem(new SideNavItem("Notebooks", "notebooks"));
    addToDrawer(nav);
  }

  /** The user's name and role; with login on, the way out. */
  private static HorizontalLayout who(UiSecurity security) {
    Principal p = security.principal();
    Span user = new Span(p.name() + " · " + (p.role() == null ? "disabled" : p.role().label())
        + (security.loginOn() ? "" : " (login off)"));
    user.setId("fl-user");
    user.addClassName("fl-user");
    HorizontalLayout box = new HorizontalLayout(user);
    box.setAlignItems(HorizontalLayout.Alignment.CENTER);
    box.addClassName("fl-who");
    if (security.loginOn()) {
      Button logout = new Button("Log out", e -> {
        UI.getCurrent().getPage().setLocation("login?logged-out");
        security.logout();
      });
      logout.setId("fl-logout");
      logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
      box.add(logout);
    }
    return box;
  }

  @Override
  public void afterNavigation(AfterNavigationEvent event) {
    banners.removeAll();
    if (!status.gatewayUp()) {
      Span b = new Span("Gateway down (" + gateway.url() + "): read pages work; the SQL console, backfills and every action need it.");
      b.addClassNames("fl-banner", "fl-banner-gateway");
      banners.add(b);
    }
    if (!status.redisUp()) {
      Span b = new Span("Redis down (" + status.redisTarget() + "): online values and verify need it.");
      b.addClassNames("fl-banner", "fl-banner-redis");
      banners.add(b);
    }
  }
}
