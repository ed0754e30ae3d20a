package io.featurelake.webui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.status.PlatformStatus;

/**
 * The frame of every page: navigation, and a banner per door that is down. Read pages come from
 * the catalog, so they keep working while the gateway is down; the banner says what does not.
 */
public class MainLayout extends AppLayout implements AfterNavigationObserver {

  private static final long serialVersionUID = 1L;

  private final transient PlatformStatus status;
  private final transient GatewayClient gateway;
  private final Div banners = new Div();

  public MainLayout(PlatformStatus status, GatewayClient gateway) {
    this.status = status;
    this.gateway = gateway;
    Span title = new Span("featurelake");
    title.addClassName("fl-title");
    HorizontalLayout navbar = new HorizontalLayout(new DrawerToggle(), title, banners);
    navbar.setAlignItems(HorizontalLayout.Alignment.CENTER);
    navbar.setWidthFull();
    banners.addClassName("fl-banners");
    addToNavbar(navbar);

    SideNav nav = new SideNav();
    nav.addItem(new SideNavItem("Overview", ""));
    nav.addItem(new SideNavItem("Runs", "runs"));
    nav.addItem(new SideNavItem("Backfill", "backfill"));
    nav.addItem(new SideNavItem("Lineage", "lineage"));
    nav.addItem(new SideNavItem("Online", "online"));
    nav.addItem(new SideNavItem("Maintenance", "maintenance"));
    nav.addItem(new SideNavItem("SQL console", "console"));
    nav.addItem(new SideNavItem("Notebooks", "notebooks"));
    addToDrawer(nav);
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
